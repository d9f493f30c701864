// Naming: the tree of namespaces, groups and services with their counts, and a page per service with its instances,
// their leases and the admin actions on them. Both follow the registry's watch streams.
import { can, failed, follow, getJson, newestOnly, query, sendJson } from './api.js';
import { cell, confirmAction, el, formatTime, heading, keepFocus, messages, relative, route, table } from './ui.js';

export async function tree(view, signal) {
  const search = el('input', { id: 'search', type: 'search', placeholder: 'name, group or namespace', autocomplete: 'off' });
  const summary = el('p', { id: 'summary', 'aria-live': 'polite' });
  const content = el('div', { id: 'tree' });
  view.replaceChildren(heading('Services'), summary,
    el('label', { for: 'search' }, 'Search services'), search, content);
  let current = null;
  const watched = new Set();

  function render() {
    const term = search.value.trim().toLowerCase();
    const sections = [];
    let count = 0;
    for (const ns of current.namespaces) {
      const rows = ns.groups.flatMap(group => group.services
        .filter(service => !term || [ns.id, group.name, service.name].some(part => part.toLowerCase().includes(term)))
        .map(service => el('tr', {},
          cell(group.name),
          el('th', { scope: 'row' }, el('a', { href: route('naming', ns.id, group.name, service.name) }, service.name)),
          cell(service.clusters.map(c => `${c.name} (${c.healthyCount}/${c.instanceCount})`).join(', ')),
          cell(String(service.instanceCount), 'count'),
          cell(String(service.healthyCount), service.healthyCount < service.instanceCount ? 'count unhealthy' : 'count'))));
      if (rows.length === 0) continue;
      count += rows.length;
      sections.push(el('section', { class: 'namespace', 'aria-label': `Namespace ${ns.id}` },
        el('h3', {}, `${ns.id} — ${ns.healthyCount} of ${ns.instanceCount} instances healthy`),
        table(null, ['Group', 'Service', 'Clusters (healthy/all)', 'Instances', 'Healthy'], rows)));
    }
    keepFocus(content, () => content.replaceChildren(...sections));
    summary.textContent = `${count} service${count === 1 ? '' : 's'} at revision ${current.revision}${term ? ` matching “${term}”` : ''}.`;
  }

  const read = newestOnly();
  async function load() {
    const answer = await read(() => getJson('/v1/tree'));
    if (!answer) return;
    current = answer;
    render();
    // One watch per namespace; namespaces created later are watched from the next read of the tree.
    const fresh = current.namespaces.filter(ns => !watched.has(ns.id));
    fresh.forEach(ns => watched.add(ns.id));
    follow(fresh.map(ns => `/v1/services/watch${query({ namespace: ns.id, group: '*' })}`), load, signal);
  }

  search.addEventListener('input', () => current && render());
  await load();
  const timer = setInterval(() => load().catch(failed), 30000);
  signal.addEventListener('abort', () => clearInterval(timer));
}

const weightSources = {
  override: 'metadata override',
  instance: 'its own',
  serviceDefault: 'service default',
  default: 'default',
};

export async function service(view, signal, [ns, group, name]) {
  const scope = { namespace: ns, group };
  const base = `/v1/services/${encodeURIComponent(name)}`;
  const status = messages();
  const details = el('p', { class: 'details' });
  const instances = el('div');
  view.replaceChildren(
    el('nav', { 'aria-label': 'Breadcrumb', class: 'crumbs' }, el('a', { href: route('naming') }, 'Services'), ` › ${ns} › ${group}`),
    heading(name), details,
    el('p', {}, el('a', { href: route('metadata', ns, group, name) }, 'Metadata document (protocols, weights)')),
    status.element, instances);
  let list = { instances: [] };
  let leases = new Map();

  async function act(instance, change, question, action, input) {
    const answer = await confirmAction(question, action, input);
    if (answer === false) return;
    try {
      await sendJson(`${base}/instances/${encodeURIComponent(instance.id)}${query(scope)}`, 'PATCH', change(answer));
      status.show(`${instance.ip}:${instance.port}: ${action.toLowerCase()} done.`);
      await load();
    } catch (error) {
      status.error(error);
    }
  }

  function actions(instance) {
    if (!can('write', ns)) return '';
    const where = `${instance.ip}:${instance.port}`;
    return el('div', { class: 'row-actions' },
      el('button', { type: 'button', onclick: () => act(instance, () => ({ enabled: !instance.enabled }),
        `${instance.enabled ? 'Disable' : 'Enable'} ${where}? ${instance.enabled ? 'Consumers stop getting it.' : 'Consumers get it again.'}`,
        instance.enabled ? 'Disable' : 'Enable') }, instance.enabled ? 'Disable' : 'Enable'),
      el('button', { type: 'button', onclick: () => act(instance, value => ({ weight: Number(value) }),
        `Set the weight of ${where}`, 'Set weight', { label: 'Weight (0 to 10000)', type: 'number', value: instance.weight ?? instance.effectiveWeight, min: 0, max: 10000, step: 'any' }) },
      'Weight…'),
      instance.ephemeral ? null : el('button', { type: 'button', onclick: () => act(instance, () => ({ healthy: !instance.healthy }),
        `Mark ${where} ${instance.healthy ? 'unhealthy' : 'healthy'}?`, instance.healthy ? 'Mark unhealthy' : 'Mark healthy') },
      instance.healthy ? 'Mark unhealthy' : 'Mark healthy'));
  }

  function lease(instance) {
    const found = leases.get(instance.id);
    if (!instance.ephemeral) return 'persistent (no lease)';
    if (!found) return '—';
    return `unhealthy ${relative(found.unhealthyAt)}, evicted ${relative(found.evictAt)}${found.owner ? `; node ${found.owner}` : ''}`;
  }

  /** The weight selection uses and why; the instance's own when something else overrides it. */
  function weight(instance) {
    const why = weightSources[instance.weightSource] ?? instance.weightSource;
    const own = instance.weightSource !== 'instance' && instance.weight !== null ? `; its own ${instance.weight}` : '';
    return `${instance.effectiveWeight} (${why}${own})`;
  }

  function beat(instance) {
    const at = leases.get(instance.id)?.lastHeartbeatAt;
    return instance.ephemeral && at ? el('time', { datetime: at, title: formatTime(at) }, relative(at)) : '—';
  }

  // Only the time cells change between revisions: updated in place, so focus stays where the user left it.
  function renderLeases() {
    for (const row of instances.querySelectorAll('tr[data-id]')) {
      const instance = list.instances.find(i => i.id === row.dataset.id);
      if (!instance) continue;
      row.querySelector('td.beat').replaceChildren(beat(instance));
      row.querySelector('td.lease').replaceChildren(lease(instance));
    }
  }

  function render() {
    details.textContent = `Namespace ${ns}, group ${group}: ${list.instances.filter(i => i.healthy).length} of ${list.instances.length} instances healthy, revision ${list.revision ?? '—'}${list.protectThresholdReached ? '; protect threshold reached: unhealthy instances are served too' : ''}.`;
    keepFocus(instances, () => instances.replaceChildren(table(`Instances of ${name}`,
      ['Instance', 'Cluster', 'Health', 'Enabled', 'Weight', 'Last heartbeat', 'Lease', 'Metadata', 'Actions'],
      list.instances.map(instance => el('tr', { 'data-id': instance.id },
        el('th', { scope: 'row' }, `${instance.ip}:${instance.port}`),
        cell(instance.cluster),
        cell(instance.healthy ? 'Healthy' : 'Unhealthy', instance.healthy ? 'healthy' : 'unhealthy'),
        cell(instance.enabled ? 'Yes' : 'No — disabled', instance.enabled ? null : 'unhealthy'),
        cell(weight(instance), 'count'),
        cell(beat(instance), 'beat'),
        cell(lease(instance), 'lease'),
        cell(Object.keys(instance.metadata).length === 0 ? '—'
          : el('ul', { class: 'pairs' }, Object.entries(instance.metadata).map(([k, v]) => el('li', {}, `${k}=${v}`)))),
        cell(actions(instance)))))));
  }

  const read = newestOnly();
  async function load() {
    const both = await read(() => Promise.all([
      getJson(`${base}/instances${query(scope)}`),
      getJson(`${base}/leases${query(scope)}`),
    ]));
    if (!both) return;
    const [fresh, found] = both;
    list = fresh;
    leases = new Map(found.map(l => [l.id, l]));
    render();
  }

  await load();
  follow([`${base}/watch${query(scope)}`], load, signal);
  // Lease times move with every heartbeat, which no watch reports: read them again every few seconds.
  const timer = setInterval(() => getJson(`${base}/leases${query(scope)}`)
    .then(found => {
      leases = new Map(found.map(l => [l.id, l]));
      renderLeases();
    }).catch(failed), 5000);
  signal.addEventListener('abort', () => clearInterval(timer));
}
