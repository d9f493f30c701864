// What config items and metadata documents share: a history of versions, a side-by-side diff of any two (from the
// server's unified diff), and a rollback to any earlier version.
import { ApiError, can, getJson, query, send } from './api.js';
import { cell, el, formatTime, messages, table } from './ui.js';

/** Side-by-side rows from a unified diff: [leftNumber, leftText, rightNumber, rightText, kind]. */
export function sideBySide(unified) {
  const rows = [];
  let left = 0;
  let right = 0;
  let removed = [];
  let added = [];
  const flush = () => {
    for (let i = 0; i < Math.max(removed.length, added.length); i++) {
      const [l, r] = [removed[i], added[i]];
      rows.push([l?.[0], l?.[1], r?.[0], r?.[1], l && r ? 'changed' : l ? 'removed' : 'added']);
    }
    removed = [];
    added = [];
  };
  for (const line of unified.split('\n')) {
    const hunk = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
    if (hunk) {
      flush();
      if (rows.length > 0) rows.push([null, '⋯', null, '⋯', 'gap']);
      left = Number(hunk[1]);
      right = Number(hunk[2]);
    } else if (line.startsWith('---') || line.startsWith('+++') || line.startsWith('\\')) {
      continue;
    } else if (line.startsWith('-')) {
      removed.push([left++, line.slice(1)]);
    } else if (line.startsWith('+')) {
      added.push([right++, line.slice(1)]);
    } else if (line.startsWith(' ')) {
      flush();
      rows.push([left++, line.slice(1), right++, line.slice(1), 'same']);
    }
  }
  flush();
  return rows;
}

/** A side-by-side diff table of a unified diff between two labelled versions. */
export function diffTable(unified, leftTitle, rightTitle) {
  const rows = sideBySide(unified);
  if (rows.length === 0) return el('p', { class: 'diff-empty' }, `${leftTitle} and ${rightTitle} have the same content.`);
  return el('table', { class: 'diff' },
    el('caption', {}, `${leftTitle} compared with ${rightTitle}`),
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col', class: 'line' }, 'Line'), el('th', { scope: 'col' }, leftTitle),
      el('th', { scope: 'col', class: 'line' }, 'Line'), el('th', { scope: 'col' }, rightTitle))),
    el('tbody', {}, rows.map(([ln, lt, rn, rt, kind]) => el('tr', { class: kind },
      cell(ln ?? '', 'line'), cell(lt ?? '', kind === 'added' ? 'blank' : 'text'),
      cell(rn ?? '', 'line'), cell(rt ?? '', kind === 'removed' ? 'blank' : 'text')))));
}

/** The ops of a config item's gray release in its history: versions beside the released one, not after it. */
const grayOps = ['gray', 'gray-rule', 'gray-abort'];

/**
 * The history section of a versioned document.
 * base: the document's path (e.g. /v1/configs/app.yaml); scope: { namespace, group }; ns: for role checks;
 * onRolledBack(): after a rollback, so the page can show the new current version.
 */
export function historySection({ base, scope, ns, onRolledBack }) {
  const status = messages();
  const list = el('div');
  const compare = el('div', { class: 'compare' });
  const diff = el('div', { class: 'diff-view' });
  const section = el('section', { 'aria-labelledby': 'history-title' },
    el('h3', { id: 'history-title' }, 'History'), status.element, list, compare, diff);

  async function showDiff(from, to) {
    try {
      const text = await (await send(`${base}/diff${query({ ...scope, from, to })}`, { accept: 'text/plain' })).text();
      diff.replaceChildren(diffTable(text, `Version ${from}`, `Version ${to}`));
    } catch (error) {
      status.error(error);
    }
  }

  async function rollBack(version) {
    try {
      const response = await send(`${base}/rollback${query({ ...scope, to: version })}`, { method: 'POST' });
      const result = response.status === 204 ? null : await response.json();
      status.show(result ? `Rolled back: version ${result.version} has the content of version ${version}.` : `Version ${version} is already current.`);
      await load();
      onRolledBack?.();
    } catch (error) {
      status.error(error);
    }
  }

  /** Shows the versions, newest first, and returns them (none for a document never saved). */
  async function load() {
    let page;
    try {
      page = await getJson(`${base}/history${query({ ...scope, pageSize: 100 })}`);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 404) throw error;
      list.replaceChildren(el('p', {}, 'No versions yet.'));
      compare.replaceChildren();
      return [];
    }
    const items = page.items;
    // The newest released version is current unless it deleted the document (a config item's gray versions and notes
    // may be newer); any other can be rolled back to.
    const released = items.find(item => !grayOps.includes(item.op));
    const current = released?.op === 'delete' ? null : released?.version;
    list.replaceChildren(table(`${page.total} version${page.total === 1 ? '' : 's'}, newest first`,
      ['Version', 'Change', 'Author', 'From', 'Time', 'Rollback'],
      items.map(item => el('tr', {},
        cell(String(item.version), 'count'), cell(item.op), cell(item.author), cell(item.sourceAddress ?? ''),
        cell(formatTime(item.time ?? item.updatedAt)),
        cell(item.version !== current && item.op !== 'delete' && item.hasDocument !== false && can('write', ns)
          ? el('button', { type: 'button', onclick: () => rollBack(item.version) }, `Roll back to ${item.version}`)
          : '')))));

    const versions = items.filter(item => item.op !== 'delete' && item.hasDocument !== false).map(item => item.version);
    if (versions.length < 2) {
      compare.replaceChildren();
      return items;
    }
    const pick = (id, text, selected) => [
      el('label', { for: id }, text),
      el('select', { id }, versions.map(v => el('option', { value: v, selected: v === selected }, `Version ${v}`))),
    ];
    const form = el('form', { class: 'inline', onsubmit: event => {
      event.preventDefault();
      showDiff(form.querySelector('#diff-from').value, form.querySelector('#diff-to').value);
    } },
    ...pick('diff-from', 'Compare', versions[1]), ...pick('diff-to', 'with', versions[0]),
    el('button', { type: 'submit' }, 'Show differences'));
    compare.replaceChildren(form);
    return items;
  }

  return { element: section, load, showDiff };
}

/**
 * Shows in <into> what changed between the version the user started from (<mine>) and one saved elsewhere
 * (<theirs>), with the two ways on: save over it, or take the current version; the history is read again.
 */
export async function showChanges({ into, history, base, scope, mine, theirs, overwrite, discard }) {
  await history.load();
  const unified = mine
    ? await (await send(`${base}/diff${query({ ...scope, from: mine, to: theirs })}`, { accept: 'text/plain' })).text()
    : '';
  into.replaceChildren(
    el('h3', {}, 'Changed meanwhile'),
    mine ? diffTable(unified, `Version ${mine} (you started here)`, `Version ${theirs} (current)`) : null,
    el('div', { class: 'actions' },
      el('button', { type: 'button', onclick: overwrite }, `Save mine over version ${theirs}`),
      el('button', { type: 'button', onclick: discard }, `Discard mine and load version ${theirs}`)));
  into.scrollIntoView({ block: 'nearest' });
}

/** The message of a refused save (412): who won, and that the user's text is kept. */
export function conflictMessage(problem, mine) {
  const theirs = problem?.currentVersion;
  return theirs
    ? `Not saved: version ${theirs} was saved while you edited ${mine ? `version ${mine}` : 'a new item'}. Your text is still here; below is what changed meanwhile.`
    : `Not saved: ${problem?.detail ?? 'it changed while you edited it.'}`;
}

/** The message of a save from elsewhere seen live while the user has changes: <verb> is 'published' or 'saved'. */
export function changedMessage(theirs, mine, verb) {
  const infinitive = verb === 'published' ? 'publishing' : 'saving';
  return `Version ${theirs} was ${verb} while you edited ${mine ? `version ${mine}` : 'a new one'}. Your text is still here; `
    + `${infinitive} it as it is would be refused. Below is what changed.`;
}
