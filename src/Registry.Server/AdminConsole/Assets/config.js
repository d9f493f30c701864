// Config: the items of a namespace searched by data id, group and format; an item's editor, which checks the text by
// the server's own rules as it is typed and publishes with If-Match; its gray release; its history, diffs and rollback.
import { ApiError, can, follow, getJson, newestOnly, query, send, watch } from './api.js';
import { cell, el, field, formatTime, heading, keepFocus, messages, pager, route, table } from './ui.js';
import { editor } from './editor.js';
import { graySection } from './gray.js';
import { changedMessage, conflictMessage, historySection, showChanges } from './versions.js';

const formats = ['text', 'json', 'yaml', 'properties', 'xml'];

/** The namespaces the signed-in token may see, for a select. */
export async function namespaceOptions(selected) {
  const page = await getJson('/v1/namespaces?pageSize=1000');
  return page.items.map(ns => el('option', { value: ns.id, selected: ns.id === selected }, ns.id));
}

export async function list(view, signal, _, parameters) {
  const ns = parameters.get('namespace') ?? 'public';
  const namespace = el('select', { id: 'config-namespace' }, await namespaceOptions(ns));
  const dataId = el('input', { id: 'config-search', type: 'search', value: parameters.get('search') ?? '', autocomplete: 'off' });
  const group = el('input', { id: 'config-group', type: 'search', value: parameters.get('group') ?? '', autocomplete: 'off',
    placeholder: 'every group', list: 'config-groups' });
  const groups = el('datalist', { id: 'config-groups' });
  const seenGroups = new Set();
  const format = el('select', { id: 'config-format' }, el('option', { value: '' }, 'any'),
    formats.map(f => el('option', { value: f, selected: f === parameters.get('format') }, f)));
  const summary = el('p', { 'aria-live': 'polite' });
  const results = el('div');
  const pages = el('div', { class: 'actions' });
  let page = 1;
  const status = messages();

  const create = can('write', ns)
    ? el('form', { class: 'inline', 'aria-label': 'New config item', onsubmit: event => {
      event.preventDefault();
      const id = create.querySelector('#new-data-id').value.trim();
      const inGroup = create.querySelector('#new-group').value.trim() || 'DEFAULT_GROUP';
      if (id) location.hash = route('config', namespace.value, inGroup, id);
    } },
    field('new-data-id', 'New item: data id', el('input', { id: 'new-data-id', required: true, placeholder: 'app.yaml', autocomplete: 'off' })),
    field('new-group', 'group', el('input', { id: 'new-group', placeholder: 'DEFAULT_GROUP', autocomplete: 'off' })),
    el('button', { type: 'submit' }, 'Create…'))
    : null;

  view.replaceChildren(heading('Config'),
    el('form', { class: 'filters', role: 'search', onsubmit: event => event.preventDefault() },
      field('config-namespace', 'Namespace', namespace), field('config-search', 'Data id', dataId),
      field('config-group', 'Group', group), groups, field('config-format', 'Format', format)),
    create, status.element, summary, results, pages);

  let pending = null;
  const read = newestOnly();
  async function load() {
    try {
      const found = await read(() => getJson(`/v1/configs${query({
        namespace: namespace.value, group: group.value.trim() || '*', search: dataId.value.trim(), format: format.value, page, pageSize: 100,
      })}`));
      if (!found) return;
      // The groups seen so far are offered as the group field's suggestions.
      for (const item of found.items.filter(item => !seenGroups.has(item.group))) {
        seenGroups.add(item.group);
        groups.append(el('option', { value: item.group }));
      }
      summary.textContent = `${found.total} item${found.total === 1 ? '' : 's'} in namespace ${namespace.value}.`;
      pages.replaceChildren(...(found.total > 100 ? pager(page, found.total, 100, to => {
        page = to;
        load();
      }) : []));
      keepFocus(results, () => results.replaceChildren(table(null, ['Data id', 'Group', 'Format', 'Version', 'Size', 'Author', 'Updated'],
        found.items.map(item => el('tr', {},
          el('th', { scope: 'row' }, el('a', { href: route('config', item.namespace, item.group, item.dataId) }, item.dataId)),
          cell(item.group), cell(item.format), cell(String(item.version), 'count'), cell(`${item.size} B`, 'count'),
          cell(item.author), cell(formatTime(item.updatedAt)))))));
      status.clear();
    } catch (error) {
      status.error(error);
    }
  }
  for (const control of [namespace, dataId, group, format]) {
    control.addEventListener('input', () => {
      page = 1;
      clearTimeout(pending);
      pending = setTimeout(load, 200);
    });
  }
  signal.addEventListener('abort', () => clearTimeout(pending));
  await load();
  // Live: every change in the namespace shown reads the list again (a change of namespace opens its watch).
  let following = null;
  const followNamespace = () => {
    following?.abort();
    following = new AbortController();
    follow([`/v1/configs/watch${query({ namespace: namespace.value, group: '*' })}`], load, AbortSignal.any([signal, following.signal]));
  };
  namespace.addEventListener('change', followNamespace);
  followNamespace();
}

export async function item(view, signal, [ns, group, dataId]) {
  const scope = { namespace: ns, group };
  const base = `/v1/configs/${encodeURIComponent(dataId)}`;
  const writable = can('write', ns);
  const status = messages();
  const verdict = el('p', { id: 'verdict', class: 'verdict', 'aria-live': 'polite' });
  const conflict = el('div', { class: 'conflict' });
  let baseVersion = null;
  let validation = null;
  let pending = null;
  let deleted = false;
  // The text as last read or published: an editor nobody has touched follows the item's changes.
  let loaded = '';

  /**
   * The item's released version as stored now: its version, format and content; null when there is none (never
   * published, or deleted). The editor edits the released version even where a gray rule names this browser's address.
   */
  async function read() {
    try {
      let response = await send(`${base}${query(scope)}`, { accept: '*/*' });
      if (response.headers.get('x-config-gray') === 'true') {
        // Ended meanwhile (404): the item as it is now is the released version.
        const gray = await getJson(`${base}/gray${query(scope)}`).catch(error => {
          if (error.status !== 404) throw error;
          return null;
        });
        response = await send(`${base}${query({ ...scope, version: gray?.releasedVersion })}`, { accept: '*/*' });
      }
      return {
        version: Number(response.headers.get('x-config-version')),
        format: response.headers.get('x-config-format'),
        content: await response.text(),
      };
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 404) throw error;
      return null;
    }
  }

  const stored = await read();
  baseVersion = stored?.version ?? null;
  const format = stored?.format ?? guessFormat(dataId);
  const content = loaded = stored?.content ?? '';

  const formatSelect = el('select', { id: 'format', disabled: !writable },
    formats.map(f => el('option', { value: f, selected: f === format }, f)));
  const text = editor({ id: 'content', label: `Content of ${dataId}`, value: content, format, readOnly: !writable, onChange: check });
  const version = el('span', { id: 'version' });
  const publish = writable ? el('button', { type: 'submit', class: 'primary' }, 'Publish') : null;
  const history = historySection({ base, scope, ns, onRolledBack: reload });
  const gray = graySection({
    base, scope, ns, draft: () => ({ content: text.value, format: formatSelect.value }), onChanged: history.load, onReleased: reload,
  });

  view.replaceChildren(
    el('nav', { 'aria-label': 'Breadcrumb', class: 'crumbs' }, el('a', { href: route('config') }, 'Config'), ` › ${ns} › ${group}`),
    heading(dataId),
    el('p', {}, version),
    el('form', { class: 'editor-form', 'aria-label': `Edit ${dataId}`, onsubmit: event => {
      event.preventDefault();
      publishContent();
    } },
    el('div', { class: 'field inline' }, el('label', { for: 'format' }, 'Format'), formatSelect),
    el('label', { for: 'content' }, 'Content'),
    text.element, verdict,
    writable ? el('div', { class: 'actions' }, publish) : el('p', {}, 'Your token may read this item but not change it.')),
    status.element, conflict, gray.element, history.element);
  formatSelect.addEventListener('change', () => {
    text.setFormat(formatSelect.value);
    check();
  });
  const versions = await history.load();
  deleted = !baseVersion && versions.length > 0;
  showVersion();
  await gray.load(Boolean(baseVersion));
  // The watch starts with the item as it is then (a snapshot), so nothing published since the read above is missed.
  watch(`/v1/configs/watch${query({ ...scope, dataId, snapshot: true })}`, (name, data) => {
    if (name === 'config') {
      changedElsewhere(JSON.parse(data)).then(() => gray.load(Boolean(baseVersion))).catch(error => status.error(error));
    }
  }, signal);
  if (writable) check();

  function showVersion() {
    version.textContent = baseVersion ? `Version ${baseVersion} (${formatSelect.value}).`
      : deleted ? 'Deleted: publishing creates it again, or roll back to a version below.' : 'New item: not published yet.';
  }

  /** Asks the server whether the text would be accepted, and marks the line and column it refuses. */
  function check() {
    clearTimeout(pending);
    pending = setTimeout(async () => {
      const ask = validation = send(`${base}/validate${query({ ...scope, format: formatSelect.value })}`,
        { method: 'POST', body: text.value, type: 'text/plain' });
      try {
        await ask;
        if (ask !== validation) return;
        verdict.className = 'verdict ok';
        verdict.replaceChildren(`Valid ${formatSelect.value}.`);
        text.markError(null);
      } catch (error) {
        if (ask !== validation) return;
        const { line, column } = error.problem ?? {};
        verdict.className = 'verdict error';
        verdict.replaceChildren(line
          ? el('button', { type: 'button', class: 'link', onclick: () => text.focusAt(line, column) }, `Line ${line}, column ${column}:`)
          : '', ` ${error.problem?.errors?.content?.[0] ?? error.message}`);
        text.markError(line ?? null);
      }
    }, 300);
  }
  signal.addEventListener('abort', () => clearTimeout(pending));

  async function publishContent() {
    conflict.replaceChildren();
    try {
      const response = await send(`${base}${query({ ...scope, format: formatSelect.value })}`, {
        method: 'PUT', body: text.value, type: 'text/plain',
        extra: baseVersion ? { 'if-match': `"${baseVersion}"` } : { 'if-none-match': '*' },
      });
      const published = await response.json();
      baseVersion = published.version;
      loaded = text.value;
      showVersion();
      status.show(`Published version ${published.version}.`);
      await Promise.all([history.load(), gray.load(true)]);
    } catch (error) {
      if (error.status === 412) await showConflict(error.problem);
      else status.error(error);
    }
  }

  /** A publish refused because someone else published first: say so, and show what they changed. */
  async function showConflict(problem) {
    status.error(new Error(conflictMessage(problem, baseVersion)));
    if (problem?.currentVersion) await showChanged(problem.currentVersion);
  }

  /** What changed between the version this text started from and <theirs>, with the ways on. */
  function showChanged(theirs) {
    return showChanges({
      into: conflict, history, base, scope, mine: baseVersion, theirs,
      overwrite: async () => {
        baseVersion = theirs;
        await publishContent();
      },
      discard: reload,
    });
  }

  /** A change of the item from its watch: followed when the editor is untouched, else shown as a coming conflict. */
  async function changedElsewhere(change) {
    // A gray version (this browser's address named by the rule) is not the released one the editor holds.
    if (change.dataId !== dataId || change.gray || change.version <= (baseVersion ?? 0)) return;
    if (change.content === null || change.content === undefined) {
      if (!baseVersion) return;
      baseVersion = null;
      deleted = true;
      showVersion();
      status.error(new Error(`The item was deleted meanwhile (version ${change.version}). Publishing creates it again.`));
      await history.load();
    } else if (change.content === text.value) {
      // This page's own publish or rollback, or the same text from elsewhere: nothing to tell.
    } else if (text.value === loaded) {
      await reload();
      status.show(`Version ${change.version} was published meanwhile; the editor shows it.`);
    } else {
      status.error(new Error(changedMessage(change.version, baseVersion, 'published')));
      await showChanged(change.version);
    }
  }

  async function reload() {
    const current = await read();
    baseVersion = current?.version ?? null;
    formatSelect.value = current?.format ?? formatSelect.value;
    text.setFormat(formatSelect.value);
    text.setValue(loaded = current?.content ?? '');
    conflict.replaceChildren();
    showVersion();
    await Promise.all([history.load(), gray.load(Boolean(baseVersion))]);
    check();
  }
}

function guessFormat(dataId) {
  const extension = dataId.split('.').pop().toLowerCase();
  return { json: 'json', yaml: 'yaml', yml: 'yaml', properties: 'properties', xml: 'xml' }[extension] ?? 'text';
}
