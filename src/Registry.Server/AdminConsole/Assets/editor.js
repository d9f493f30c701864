// A text editor with syntax highlighting for the formats the registry stores (json, yaml, properties, xml, text):
// a textarea the user types in, over a highlighted copy of its text, with line numbers and a marked error line.
import { el } from './ui.js';

const rules = {
  json: [
    [/"(?:[^"\\]|\\.)*"(?=\s*:)/y, 'key'],
    [/"(?:[^"\\]|\\.)*"?/y, 'string'],
    [/-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y, 'number'],
    [/\b(?:true|false|null)\b/y, 'literal'],
    [/[{}[\],:]/y, 'punctuation'],
  ],
  yaml: [
    [/#.*/y, 'comment'],
    [/(?:^|(?<=^\s*(?:-\s+)?))[^\s#:'"-][^#:]*(?=:(?:\s|$))/y, 'key'],
    [/"(?:[^"\\]|\\.)*"?|'(?:[^']|'')*'?/y, 'string'],
    [/(?<=[\s:[,-])-?\d+(?:\.\d+)?(?=\s*(?:$|#|,|]))/y, 'number'],
    [/(?<=[\s:[,])(?:true|false|null|yes|no|~)(?=\s*(?:$|#|,|]))/y, 'literal'],
    [/^---|^\.\.\.|[-:[\]{},|>]/y, 'punctuation'],
  ],
  properties: [
    [/^\s*[#!].*/y, 'comment'],
    [/^\s*(?:[^=:\s\\]|\\.)+/y, 'key'],
    [/(?<=^\s*(?:[^=:\s\\]|\\.)+\s*)[=:]/y, 'punctuation'],
  ],
  xml: [
    [/<!--.*?(?:-->|$)/y, 'comment'],
    [/<\/?[\w:.-]+|\/?>|<\?[\w:.-]+|\?>/y, 'key'],
    [/(?<=<[^>]*\s)[\w:.-]+(?==)/y, 'literal'],
    [/"[^"]*"?|'[^']*'?/y, 'string'],
  ],
  text: [],
};

function escape(text) {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** One line as HTML: the spans of the first rule that matches at each position, the rest plain. */
function highlightLine(line, format) {
  const patterns = rules[format] ?? [];
  let html = '';
  let plain = '';
  let i = 0;
  while (i < line.length) {
    let matched = null;
    for (const [pattern, kind] of patterns) {
      pattern.lastIndex = i;
      const found = pattern.exec(line);
      if (found && found[0].length > 0) {
        matched = [found[0], kind];
        break;
      }
    }
    if (matched) {
      html += escape(plain) + `<span class="tok-${matched[1]}">${escape(matched[0])}</span>`;
      plain = '';
      i += matched[0].length;
    } else {
      plain += line[i++];
    }
  }
  return html + escape(plain);
}

/**
 * Builds an editor. onChange() runs after each edit. Returns { element, value, setValue, setFormat, markError,
 * focusAt }.
 */
export function editor({ id, label, value = '', format = 'text', readOnly = false, onChange = () => {} }) {
  const code = el('code');
  const gutter = el('div', { class: 'gutter', 'aria-hidden': 'true' });
  const highlighted = el('pre', { class: 'highlight', 'aria-hidden': 'true' }, code);
  const area = el('textarea', {
    id, spellcheck: 'false', autocapitalize: 'off', autocomplete: 'off', wrap: 'off', readonly: readOnly,
    'aria-label': label,
  });
  area.value = value;
  const element = el('div', { class: 'editor' }, gutter, el('div', { class: 'surface' }, highlighted, area));
  let errorLine = null;

  function render() {
    const lines = area.value.split('\n');
    code.innerHTML = lines
      .map((line, index) => {
        const html = highlightLine(line, format) || ' ';
        return index + 1 === errorLine ? `<span class="error-line">${html}</span>` : html;
      })
      .join('\n') + '\n';
    gutter.replaceChildren(...lines.map((_, index) => el('div', { class: index + 1 === errorLine ? 'error-line' : null }, String(index + 1))));
    sync();
  }

  function sync() {
    highlighted.scrollTop = area.scrollTop;
    highlighted.scrollLeft = area.scrollLeft;
    gutter.scrollTop = area.scrollTop;
  }

  area.addEventListener('input', () => {
    render();
    onChange();
  });
  area.addEventListener('scroll', sync);
  render();

  return {
    element,
    area,
    get value() {
      return area.value;
    },
    setValue(text) {
      area.value = text;
      render();
    },
    setFormat(name) {
      format = name;
      render();
    },
    /** Marks a line (1-based) as holding an error; null clears the mark. */
    markError(line) {
      errorLine = line;
      render();
    },
    /** Puts the caret at a line and column (1-based) and scrolls it into view. */
    focusAt(line, column) {
      const lines = area.value.split('\n');
      const offset = lines.slice(0, line - 1).reduce((sum, text) => sum + text.length + 1, 0) + Math.max(0, column - 1);
      area.focus();
      area.setSelectionRange(offset, offset);
    },
  };
}
