// Small helpers every page builds with: elements, tables, messages, confirmations and times.

/** An element with attributes (on* are listeners, `class` the class name) and children (strings become text). */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, value);
  }
  element.append(...children.flat().filter(child => child !== null && child !== undefined && child !== false));
  return element;
}

/** A labelled control: the label above it. */
export function field(id, text, control) {
  return el('div', { class: 'field' }, el('label', { for: id }, text), control);
}

/** A table with a header row of column titles and the given body rows. */
export function table(caption, titles, rows) {
  return el('table', {},
    caption ? el('caption', {}, caption) : null,
    el('thead', {}, el('tr', {}, titles.map(title => el('th', { scope: 'col' }, title)))),
    el('tbody', {}, rows));
}

export function cell(content, className) {
  return el('td', { class: className }, content);
}

/** A place for a page's outcome messages: one at a time, read out by screen readers. */
export function messages() {
  const box = el('div', { class: 'messages', role: 'status', 'aria-live': 'polite' });
  return {
    element: box,
    show(text, kind = 'ok') {
      box.replaceChildren(el('p', { class: `message ${kind}` }, text));
    },
    error(error) {
      box.replaceChildren(el('p', { class: 'message error', role: 'alert' }, error.message ?? String(error)));
    },
    clear() {
      box.replaceChildren();
    },
  };
}

const dialog = document.getElementById('dialog');

/**
 * Asks in a modal dialog; resolves to false when cancelled, else to true, or to the value of the dialog's input
 * when one is given ({ label, type, value, min, max, step }).
 */
export function confirmAction(question, action, input) {
  const field = input
    ? el('input', { id: 'dialog-input', type: input.type ?? 'text', value: input.value ?? '', min: input.min, max: input.max,
      step: input.step, required: true })
    : null;
  const form = el('form', { method: 'dialog' },
    el('h2', { id: 'dialog-title' }, question),
    field ? el('p', {}, el('label', { for: 'dialog-input' }, input.label), field) : null,
    el('div', { class: 'actions' },
      el('button', { type: 'submit', value: 'ok', class: 'primary' }, action),
      el('button', { type: 'submit', value: 'cancel', formnovalidate: true }, 'Cancel')));
  dialog.replaceChildren(form);
  dialog.setAttribute('aria-labelledby', 'dialog-title');
  return new Promise(resolve => {
    dialog.addEventListener('close', () => {
      if (dialog.returnValue !== 'ok') resolve(false);
      else resolve(field ? field.value : true);
    }, { once: true });
    dialog.returnValue = '';
    dialog.showModal();
    (field ?? form.querySelector('button.primary')).focus();
  });
}

export function formatTime(value) {
  if (!value) return '—';
  return new Date(value).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** "12 s ago", "in 3 min": a time relative to now. */
export function relative(value) {
  if (!value) return '—';
  const seconds = Math.round((new Date(value).getTime() - Date.now()) / 1000);
  const size = Math.abs(seconds);
  if (size < 2) return 'just now';
  const text = size < 90 ? `${size} s` : size < 5400 ? `${Math.round(size / 60)} min` : `${Math.round(size / 3600)} h`;
  return seconds < 0 ? `${text} ago` : `in ${text}`;
}

/** A link within the console: #/section/part/part, each part encoded. */
export function route(...parts) {
  return `#/${parts.map(encodeURIComponent).join('/')}`;
}

/** A page heading with the landmark's label. */
export function heading(text) {
  return el('h2', { id: 'page-title', tabindex: '-1' }, text);
}

/** Previous and next buttons around "Page n of m"; go(page) shows another page. */
export function pager(page, total, size, go, [previous, next] = ['Previous', 'Next']) {
  const pages = Math.max(1, Math.ceil(total / size));
  return [
    el('button', { type: 'button', disabled: page <= 1, onclick: () => go(page - 1) }, previous),
    el('span', {}, ` Page ${page} of ${pages} `),
    el('button', { type: 'button', disabled: page >= pages, onclick: () => go(page + 1) }, next),
  ];
}

/**
 * Runs render(), which replaces what <container> holds, and puts the focus back on the matching element (same
 * row, link target and text) when it was inside: a live update never takes the keyboard's place away.
 */
export function keepFocus(container, render) {
  const active = document.activeElement;
  const key = active && active !== container && container.contains(active) ? focusKey(active) : null;
  render();
  if (key === null) return;
  [...container.querySelectorAll(active.tagName)].find(element => focusKey(element) === key)?.focus({ preventScroll: true });
}

function focusKey(element) {
  return [element.closest('[data-id]')?.dataset.id ?? '', element.getAttribute('href') ?? '', element.id, element.textContent].join('|');
}
