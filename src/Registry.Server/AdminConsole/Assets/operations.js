// Operations: namespaces, tokens (created, shown once, revoked), the audit log with its filters, and backups.
import { can, getJson, newestOnly, query, send, sendJson } from './api.js';
import { cell, confirmAction, el, field, formatTime, heading, messages, pager, table } from './ui.js';

export async function namespaces(view) {
  const status = messages();
  const listing = el('div');
  const admin = can('admin', '*');
  const form = admin ? el('form', { class: 'inline', 'aria-label': 'Create a namespace', onsubmit: async event => {
    event.preventDefault();
    const id = form.querySelector('#ns-id').value.trim();
    try {
      await sendJson(`/v1/namespaces/${encodeURIComponent(id)}`, 'PUT', {
        displayName: form.querySelector('#ns-name').value.trim() || null,
        description: form.querySelector('#ns-description').value.trim() || null,
      });
      status.show(`Namespace ${id} saved.`);
      form.reset();
      await load();
    } catch (error) {
      status.error(error);
    }
  } },
  field('ns-id', 'Id', el('input', { id: 'ns-id', required: true, autocomplete: 'off' })),
  field('ns-name', 'Display name', el('input', { id: 'ns-name', autocomplete: 'off' })),
  field('ns-description', 'Description', el('input', { id: 'ns-description', autocomplete: 'off' })),
  el('button', { type: 'submit' }, 'Create or update')) : null;
  view.replaceChildren(heading('Namespaces'), form, status.element, listing);

  async function remove(ns) {
    if (!await confirmAction(`Delete namespace ${ns.id}? Only an empty namespace can be deleted.`, 'Delete')) return;
    try {
      await send(`/v1/namespaces/${encodeURIComponent(ns.id)}`, { method: 'DELETE' });
      status.show(`Namespace ${ns.id} deleted.`);
      await load();
    } catch (error) {
      status.error(error);
    }
  }

  async function load() {
    const page = await getJson('/v1/namespaces?pageSize=1000');
    listing.replaceChildren(table(null, ['Id', 'Name', 'Description', 'Services', 'Instances', 'Healthy', 'Config items', 'Actions'],
      page.items.map(ns => el('tr', {},
        el('th', { scope: 'row' }, ns.id), cell(ns.displayName ?? ''), cell(ns.description ?? ''),
        cell(String(ns.serviceCount), 'count'), cell(String(ns.instanceCount), 'count'),
        cell(String(ns.healthyCount), 'count'), cell(String(ns.configCount), 'count'),
        cell(admin && ns.id !== 'public' ? el('button', { type: 'button', onclick: () => remove(ns) }, `Delete ${ns.id}`) : '')))));
  }

  await load();
}

export async function tokens(view) {
  const status = messages();
  const secret = el('div', { class: 'secret' });
  const listing = el('div');
  const roles = ['read', 'register', 'write', 'admin'];
  const form = el('form', { class: 'stacked', 'aria-label': 'Create a token', onsubmit: async event => {
    event.preventDefault();
    const expires = form.querySelector('#token-expires').value;
    try {
      const created = await sendJson('/v1/tokens', 'POST', {
        name: form.querySelector('#token-name').value.trim(),
        roles: roles.filter(role => form.querySelector(`#role-${role}`).checked),
        namespaces: form.querySelector('#token-namespaces').value.split(',').map(n => n.trim()).filter(Boolean),
        expiresAt: expires ? new Date(expires).toISOString() : null,
      });
      form.reset();
      status.clear();
      const value = el('input', { id: 'token-secret', readonly: true, value: created.secret, size: 60 });
      secret.replaceChildren(el('p', { role: 'alert' }, el('strong', {}, `Token ${created.token.name} created. `),
        'Copy its secret now: it is shown this once and never again.'),
      field('token-secret', 'Secret', value),
      el('div', { class: 'actions' },
        el('button', { type: 'button', onclick: async () => {
          await navigator.clipboard?.writeText(created.secret).catch(() => {});
          value.select();
        } }, 'Copy'),
        el('button', { type: 'button', onclick: () => secret.replaceChildren() }, 'Done: hide it')));
      value.focus();
      value.select();
      await load();
    } catch (error) {
      status.error(error);
    }
  } },
  el('h3', {}, 'New token'),
  field('token-name', 'Name (the author of its changes)', el('input', { id: 'token-name', required: true, autocomplete: 'off' })),
  el('fieldset', {}, el('legend', {}, 'Roles'), roles.map(role => el('label', { class: 'check' },
    el('input', { type: 'checkbox', id: `role-${role}`, checked: role === 'read' }), ` ${role}`))),
  field('token-namespaces', 'Namespaces (comma-separated; * for all)', el('input', { id: 'token-namespaces', value: '*', autocomplete: 'off' })),
  field('token-expires', 'Expires (optional)', el('input', { id: 'token-expires', type: 'datetime-local' })),
  el('button', { type: 'submit', class: 'primary' }, 'Create token'));
  view.replaceChildren(heading('Tokens'), secret, status.element, listing, form);

  async function revoke(token) {
    if (!await confirmAction(`Revoke token ${token.name}? Requests with it are refused from now on.`, 'Revoke')) return;
    try {
      await send(`/v1/tokens/${encodeURIComponent(token.id)}`, { method: 'DELETE' });
      status.show(`Token ${token.name} revoked.`);
      await load();
    } catch (error) {
      status.error(error);
    }
  }

  async function load() {
    const all = await getJson('/v1/tokens');
    listing.replaceChildren(table(`${all.length} token${all.length === 1 ? '' : 's'}`,
      ['Name', 'Roles', 'Namespaces', 'Source', 'Created', 'Created by', 'Expires', 'Actions'],
      all.map(token => el('tr', {},
        el('th', { scope: 'row' }, token.name), cell(token.roles.join(', ')), cell(token.namespaces.join(', ')),
        cell(token.source), cell(formatTime(token.createdAt)), cell(token.createdBy), cell(token.expiresAt ? formatTime(token.expiresAt) : 'never'),
        cell(token.source === 'api' ? el('button', { type: 'button', onclick: () => revoke(token) }, `Revoke ${token.name}`) : 'in configuration')))));
  }

  await load();
}

export async function audit(view) {
  const status = messages();
  const results = el('div');
  const pages = el('div', { class: 'actions' });
  let page = 1;
  const form = el('form', { class: 'filters', role: 'search', 'aria-label': 'Filter the audit log', onsubmit: event => {
    event.preventDefault();
    page = 1;
    load();
  } },
  field('audit-actor', 'Actor', el('input', { id: 'audit-actor', autocomplete: 'off' })),
  field('audit-action', 'Action starts with', el('input', { id: 'audit-action', placeholder: 'config.', autocomplete: 'off' })),
  field('audit-namespace', 'Namespace', el('input', { id: 'audit-namespace', autocomplete: 'off' })),
  field('audit-outcome', 'Outcome', el('select', { id: 'audit-outcome' },
    el('option', { value: '' }, 'any'), el('option', { value: 'ok' }, 'ok'), el('option', { value: 'denied' }, 'denied'))),
  field('audit-from', 'From', el('input', { id: 'audit-from', type: 'datetime-local' })),
  field('audit-to', 'To', el('input', { id: 'audit-to', type: 'datetime-local' })),
  el('button', { type: 'submit', class: 'primary' }, 'Filter'));
  view.replaceChildren(heading('Audit log'), form, status.element, results, pages);

  const value = id => form.querySelector(`#${id}`).value.trim();
  const time = id => value(id) ? new Date(value(id)).toISOString() : '';

  const read = newestOnly();
  async function load() {
    try {
      const found = await read(() => getJson(`/v1/audit${query({
        actor: value('audit-actor'), action: value('audit-action'), namespace: value('audit-namespace'),
        outcome: value('audit-outcome'), from: time('audit-from'), to: time('audit-to'), page, pageSize: 50,
      })}`));
      if (!found) return;
      results.replaceChildren(table(`${found.total} entr${found.total === 1 ? 'y' : 'ies'}, newest first`,
        ['Time', 'Actor', 'From', 'Action', 'Namespace', 'Target', 'Outcome', 'Detail'],
        found.items.map(entry => el('tr', {},
          cell(formatTime(entry.time)), cell(entry.actor), cell(entry.address ?? ''), cell(entry.action),
          cell(entry.namespace ?? ''), cell(entry.target ?? ''), cell(entry.outcome, entry.outcome === 'ok' ? null : 'unhealthy'),
          cell(entry.detail ?? '')))));
      pages.replaceChildren(...pager(page, found.total, 50, to => {
        page = to;
        load();
      }, ['Newer', 'Older']));
      status.clear();
    } catch (error) {
      status.error(error);
    }
  }

  await load();
}

export async function backups(view) {
  const status = messages();
  const button = el('button', { type: 'button', class: 'primary' }, 'Download a backup');
  view.replaceChildren(heading('Backups'),
    el('p', {}, 'A consistent copy of all data (a LiteDB file), taken while writes go on. To restore one, stop the server and run ',
      el('code', {}, 'Registry.Server restore <file>'), ', then start it again.'),
    button, status.element);
  button.addEventListener('click', async () => {
    button.disabled = true;
    status.show('Taking a backup…');
    try {
      const response = await send('/v1/admin/backup', { method: 'POST', accept: '*/*' });
      const blob = await response.blob();
      const name = /filename="?([^";]+)/.exec(response.headers.get('content-disposition') ?? '')?.[1]
        ?? `registry-backup-${new Date().toISOString().replaceAll(':', '-')}.db`;
      const link = el('a', { href: URL.createObjectURL(blob), download: name }, name);
      link.click();
      status.show(`Backup ${name} downloaded (${blob.size} bytes).`);
      setTimeout(() => URL.revokeObjectURL(link.href), 60000);
    } catch (error) {
      status.error(error);
    } finally {
      button.disabled = false;
    }
  });
}
