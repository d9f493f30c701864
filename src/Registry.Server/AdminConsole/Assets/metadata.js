// A service's metadata document (protocols, weights, tags, properties): the config editor's JSON editing, saved with
// If-Match, and the same history, diffs and rollback.
import { ApiError, can, getJson, query, send, watch } from './api.js';
import { el, heading, messages, route } from './ui.js';
import { editor } from './editor.js';
import { changedMessage, conflictMessage, historySection, showChanges } from './versions.js';

const editable = ['protocols', 'defaultWeight', 'instanceWeights', 'tags', 'properties'];
const empty = { protocols: [], defaultWeight: null, instanceWeights: {}, tags: [], properties: {} };

/** Where JSON.parse stops: the line and column of its position, when the engine names one. */
function syntaxError(text) {
  try {
    JSON.parse(text);
    return null;
  } catch (error) {
    const position = /position (\d+)/.exec(error.message);
    const lineColumn = /line (\d+) column (\d+)/.exec(error.message);
    if (lineColumn) return { line: Number(lineColumn[1]), column: Number(lineColumn[2]), message: error.message };
    if (!position) return { line: null, column: null, message: error.message };
    const before = text.slice(0, Number(position[1])).split('\n');
    return { line: before.length, column: before.at(-1).length + 1, message: error.message };
  }
}

export async function document(view, signal, [ns, group, service]) {
  const scope = { namespace: ns, group };
  const base = `/v1/services/${encodeURIComponent(service)}/metadata`;
  const writable = can('write', ns);
  const status = messages();
  const verdict = el('p', { id: 'verdict', class: 'verdict', 'aria-live': 'polite' });
  const version = el('p');
  const conflict = el('div', { class: 'conflict' });
  let baseVersion = null;
  // The text as last read: an editor nobody has touched follows the document's changes.
  let loaded = '';
  let saving = false;

  const text = editor({ id: 'metadata-content', label: `Metadata document of ${service}`, format: 'json', readOnly: !writable, onChange: check });
  const history = historySection({ base, scope, ns, onRolledBack: load });
  view.replaceChildren(
    el('nav', { 'aria-label': 'Breadcrumb', class: 'crumbs' }, el('a', { href: route('naming') }, 'Services'), ' › ',
      el('a', { href: route('naming', ns, group, service) }, service)),
    heading(`Metadata of ${service}`), version,
    el('form', { class: 'editor-form', 'aria-label': `Edit the metadata of ${service}`, onsubmit: event => {
      event.preventDefault();
      save();
    } },
    el('label', { for: 'metadata-content' }, 'Document (JSON)'), text.element, verdict,
    writable ? el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary' }, 'Save')) : null),
    status.element, conflict, history.element);

  function check() {
    const error = syntaxError(text.value);
    text.markError(error?.line ?? null);
    verdict.className = error ? 'verdict error' : 'verdict ok';
    verdict.replaceChildren(error
      ? (error.line ? el('button', { type: 'button', class: 'link', onclick: () => text.focusAt(error.line, error.column) },
        `Line ${error.line}, column ${error.column}:`) : '')
      : 'Valid JSON.', error ? ` ${error.message}` : '');
    return !error;
  }

  async function load() {
    let current = null;
    try {
      current = await getJson(`${base}${query(scope)}`);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 404) throw error;
    }
    baseVersion = current?.version ?? null;
    const shown = Object.fromEntries(editable.map(key => [key, current ? current[key] : empty[key]]));
    text.setValue(loaded = JSON.stringify(shown, null, 2));
    conflict.replaceChildren();
    version.textContent = baseVersion ? `Version ${baseVersion}, by ${current.author}.` : 'No document yet: saving creates one.';
    check();
    await history.load();
  }

  async function save() {
    if (!check()) return;
    conflict.replaceChildren();
    saving = true;
    try {
      const response = await send(`${base}${query(scope)}`, {
        method: 'PUT', body: text.value, type: 'application/json',
        extra: baseVersion ? { 'if-match': `"${baseVersion}"` } : {},
      });
      const saved = await response.json();
      status.show(`Saved version ${saved.version}.`);
      await load();
    } catch (error) {
      if (error.status !== 412) {
        status.error(error);
      } else {
        status.error(new Error(conflictMessage(error.problem, baseVersion)));
        if (error.problem?.currentVersion) await showChanged(error.problem.currentVersion);
      }
    } finally {
      saving = false;
    }
  }

  /** What changed between the version this text started from and <theirs>, with the ways on. */
  function showChanged(theirs) {
    return showChanges({
      into: conflict, history, base, scope, mine: baseVersion, theirs,
      overwrite: async () => {
        baseVersion = theirs;
        await save();
      },
      discard: load,
    });
  }

  /** A save from elsewhere, from the service's watch: followed when the editor is untouched, else shown as a coming conflict. */
  async function changedElsewhere(change) {
    if (saving || change.version <= (baseVersion ?? 0)) return;
    if (text.value === loaded) {
      await load();
      status.show(`Version ${change.version} was saved meanwhile; the editor shows it.`);
    } else if (change.op === 'delete') {
      baseVersion = null;
      status.error(new Error(`The document was deleted meanwhile (version ${change.version}). Saving creates it again.`));
    } else {
      status.error(new Error(changedMessage(change.version, baseVersion, 'saved')));
      await showChanged(change.version);
    }
  }

  await load();
  // The watch starts with the document as it is then (a snapshot), so nothing saved since the read above is missed.
  watch(`/v1/services/${encodeURIComponent(service)}/watch${query({ ...scope, snapshot: true })}`, (name, data) => {
    if (name === 'metadata') changedElsewhere(JSON.parse(data)).catch(error => status.error(error));
  }, signal);
}
