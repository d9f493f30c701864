// The naming tree: namespaces, groups and services with their instance and healthy counts, a search, and the
// tree read again whenever the registry reports a change (the services watch of every namespace, group=*).
const tree = document.getElementById('tree');
const search = document.getElementById('search');
const summary = document.getElementById('summary');
const error = document.getElementById('error');
let current = null;

async function load() {
  const response = await fetch('/v1/tree', { headers: { accept: 'application/json' } });
  if (!response.ok) {
    showError(`The registry answered ${response.status} to /v1/tree.`);
    return;
  }
  current = await response.json();
  error.hidden = true;
  render();
}

function showError(text) {
  error.textContent = text;
  error.hidden = false;
}

function matches(ns, group, service, term) {
  return !term || [ns.id, group.name, service.name].some(part => part.toLowerCase().includes(term));
}

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function render() {
  const term = search.value.trim().toLowerCase();
  tree.replaceChildren();
  let services = 0;
  for (const ns of current.namespaces) {
    const rows = [];
    for (const group of ns.groups) {
      for (const service of group.services) {
        if (!matches(ns, group, service, term)) continue;
        const tr = document.createElement('tr');
        tr.append(
          cell(group.name),
          cell(service.name),
          cell(service.clusters.map(c => c.name).join(', ')),
          cell(String(service.instanceCount), 'count'),
          cell(String(service.healthyCount), service.healthyCount < service.instanceCount ? 'count unhealthy' : 'count'));
        rows.push(tr);
      }
    }
    if (rows.length === 0) continue;
    services += rows.length;
    const section = document.createElement('section');
    section.className = 'namespace';
    const heading = document.createElement('h3');
    heading.textContent = `${ns.id} — ${ns.healthyCount} of ${ns.instanceCount} instances healthy`;
    const table = document.createElement('table');
    const head = document.createElement('tr');
    for (const title of ['Group', 'Service', 'Clusters', 'Instances', 'Healthy']) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = title;
      head.append(th);
    }
    const thead = document.createElement('thead');
    thead.append(head);
    const tbody = document.createElement('tbody');
    tbody.append(...rows);
    table.append(thead, tbody);
    section.append(heading, table);
    tree.append(section);
  }
  summary.textContent = `${services} service${services === 1 ? '' : 's'} at revision ${current.revision}${term ? ` matching “${term}”` : ''}.`;
}

const watches = new Map();
let reload = null;

// One watch per namespace; a burst of changes reads the tree once.
function watchNamespaces() {
  for (const ns of current.namespaces) {
    if (watches.has(ns.id)) continue;
    const events = new EventSource(`/v1/services/watch?namespace=${encodeURIComponent(ns.id)}&group=*`);
    events.addEventListener('instances', () => {
      clearTimeout(reload);
      reload = setTimeout(load, 200);
    });
    watches.set(ns.id, events);
  }
}

search.addEventListener('input', () => current && render());
await load();
if (current) watchNamespaces();
// New namespaces appear with the next read of the tree; their watches open then.
setInterval(() => load().then(() => current && watchNamespaces()), 30000);
