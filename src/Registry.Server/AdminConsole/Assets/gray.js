// The gray release of a config item: its version and rule, the clients that read the item and what each got, and
// the ways on (publish the editor's text as a gray version, change its rule, promote it, abort it).
import { ApiError, can, getJson, newestOnly, query, send, sendJson } from './api.js';
import { cell, confirmAction, el, field, formatTime, messages, table } from './ui.js';

/**
 * base: the item's path (/v1/configs/{dataId}); scope: { namespace, group }; ns: for role checks;
 * draft(): the editor's { content, format }; onChanged(): after a gray change, so the page shows it in the history;
 * onReleased(): after a promote, so the page shows the new released version.
 */
export function graySection({ base, scope, ns, draft, onChanged, onReleased }) {
  const writable = can('write', ns);
  const status = messages();
  const summary = el('div');
  const rule = el('div');
  const clients = el('div');
  const section = el('section', { 'aria-labelledby': 'gray-title' },
    el('h3', { id: 'gray-title' }, 'Gray release'), status.element, summary, rule, clients);
  let shown = null;
  // Loads overlap (an action's, the watch's): an older answer never replaces a newer one.
  const newest = newestOnly();

  /** Shows the gray version (or that there is none) and the item's clients; released: whether the item has a version. */
  async function load(released) {
    const read = await newest(async () => {
      try {
        return { gray: await getJson(`${base}/gray${query(scope)}`) };
      } catch (error) {
        if (!(error instanceof ApiError) || error.status !== 404) throw error;
        return { gray: null };
      }
    });
    if (read === undefined) return;
    const { gray } = read;
    summary.replaceChildren(gray
      ? el('p', { id: 'gray-summary' },
        `Gray version ${gray.version} (${gray.format}, ${gray.size} bytes) goes to ${describe(gray.rule)}; `
        + `every other client gets version ${gray.releasedVersion}.`)
      : el('p', { id: 'gray-summary' }, released
        ? 'No gray release: every client gets the released version.'
        : 'A gray release needs a released version first.'));
    // Built again only when the gray release is another one: a live reload never wipes what the admin is typing.
    const key = `${gray?.version ?? 'none'}/${released}`;
    if (key !== shown) {
      shown = key;
      rule.replaceChildren(writable && (gray || released) ? ruleForm(gray) : '');
    }
    await loadClients();
  }

  /** The rule's fields, and the actions that apply: publish the editor's text as gray, or change, promote, abort. */
  function ruleForm(gray) {
    const addresses = el('input', { id: 'gray-addresses', value: (gray?.rule.addresses ?? []).join(', '),
      placeholder: '10.0.0.7, 10.1.0.0/16' });
    const labels = el('input', { id: 'gray-labels', placeholder: 'zone=eu, canary=true',
      value: Object.entries(gray?.rule.labels ?? {}).map(([key, value]) => `${key}=${value}`).join(', ') });
    const percentage = el('input', { id: 'gray-percentage', type: 'number', min: 0, max: 100, step: 1,
      value: gray?.rule.percentage ? String(gray.rule.percentage) : '' });
    const read = () => ({
      addresses: addresses.value.split(/[\s,]+/).filter(Boolean),
      labels: Object.fromEntries(labels.value.split(',').map(pair => pair.trim()).filter(Boolean)
        .map(pair => [pair.split('=')[0].trim(), pair.slice(pair.indexOf('=') + 1).trim()])),
      percentage: percentage.value === '' ? null : Number(percentage.value),
    });
    const button = (text, action) => el('button', { type: 'button', onclick: action }, text);
    return el('form', { class: 'gray-rule', 'aria-label': 'Gray rule', onsubmit: event => event.preventDefault() },
      el('p', {}, 'Clients that match any of these get the gray version: an address or range, all of the labels they send '
        + '(X-Registry-Labels), or a share of client ids.'),
      field('gray-addresses', 'Addresses and ranges', addresses),
      field('gray-labels', 'Labels (all must match)', labels),
      field('gray-percentage', 'Share of clients (%)', percentage),
      el('div', { class: 'actions' },
        button(gray ? "Replace the gray version with the editor's text" : "Start a gray release of the editor's text", () => publish(read())),
        gray ? button('Change the rule', () => changeRule(read())) : null,
        gray ? button('Promote to every client', () => promote(gray)) : null,
        gray ? button('Abort', () => abort(gray)) : null));
  }

  async function publish(rule) {
    const { content, format } = draft();
    await act(async () => {
      const gray = await sendJson(`${base}/gray${query(scope)}`, 'PUT', { content, format, rule });
      return `Published gray version ${gray.version}.`;
    });
  }

  async function changeRule(rule) {
    await act(async () => `Gray version ${(await sendJson(`${base}/gray/rule${query(scope)}`, 'PUT', rule)).version} has the new rule.`);
  }

  async function promote(gray) {
    if (!await confirmAction(`Release gray version ${gray.version} to every client?`, 'Promote')) return;
    await act(async () => {
      const released = await (await send(`${base}/gray/promote${query(scope)}`, { method: 'POST' })).json();
      await onReleased();
      return `Promoted: version ${released.version} has the content of gray version ${gray.version}.`;
    });
  }

  async function abort(gray) {
    if (!await confirmAction(`Abort gray version ${gray.version}? Its clients fall back to the released version.`, 'Abort')) return;
    await act(async () => {
      const noted = await (await send(`${base}/gray${query(scope)}`, { method: 'DELETE' })).json();
      return `Aborted gray version ${gray.version} (noted as version ${noted.version}).`;
    });
  }

  /** Runs an action, says how it went, and shows the gray release (and the history) as they are after it. */
  async function act(action) {
    try {
      const done = await action();
      await Promise.all([load(true), onChanged()]);
      status.show(done);
    } catch (error) {
      status.error(error);
    }
  }

  async function loadClients() {
    const seen = await getJson(`${base}/clients${query(scope)}`);
    clients.replaceChildren(
      seen.length === 0
        ? el('p', {}, 'No client has read this item from this node yet.')
        : table(`${seen.length} client${seen.length === 1 ? '' : 's'} seen by this node`,
          ['Client', 'Address', 'Labels', 'Version', 'Gray', 'Read by', 'Last seen'],
          seen.map(client => el('tr', {},
            cell(client.id), cell(client.address), cell(Object.entries(client.labels).map(([k, v]) => `${k}=${v}`).join(', ')),
            cell(String(client.version), 'count'), cell(client.gray ? 'yes' : 'no'), cell(client.via), cell(formatTime(client.seenAt))))),
      el('button', { type: 'button', onclick: () => loadClients().catch(error => status.error(error)) }, 'Refresh clients'));
  }

  return { element: section, load };
}

/** A rule in words: "10.0.0.7, 10.1.0.0/16; clients labelled canary=true; 10 % of clients". */
function describe(rule) {
  const parts = [];
  if (rule.addresses?.length) parts.push(rule.addresses.join(', '));
  const labels = Object.entries(rule.labels ?? {});
  if (labels.length) parts.push(`clients labelled ${labels.map(([key, value]) => `${key}=${value}`).join(', ')}`);
  if (rule.percentage) parts.push(`${rule.percentage} % of clients`);
  return parts.join('; ');
}
