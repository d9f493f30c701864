// The console's shell: sign-in with a token, the health banner, and the pages by the part of the URL after '#'.
import { ApiError, can, failureEvent, getJson, session, signIn, signOut } from './api.js';
import { el, heading } from './ui.js';
import * as naming from './naming.js';
import * as config from './config.js';
import * as metadata from './metadata.js';
import * as operations from './operations.js';

const view = document.getElementById('view');
const banner = document.getElementById('banner');
const who = document.getElementById('who');

// Each page: its path's first part, what it needs (role, '*' for every namespace), and how it renders.
const pages = {
  naming: { nav: 'Naming', render: (v, s, parts) => (parts.length === 3 ? naming.service(v, s, parts) : naming.tree(v, s)) },
  config: { nav: 'Config', render: (v, s, parts, q) => (parts.length === 3 ? config.item(v, s, parts) : config.list(v, s, parts, q)) },
  metadata: { render: (v, s, parts) => metadata.document(v, s, parts) },
  namespaces: { nav: 'Namespaces', render: v => operations.namespaces(v) },
  tokens: { nav: 'Tokens', role: 'admin', render: v => operations.tokens(v) },
  audit: { nav: 'Audit', role: 'admin', render: v => operations.audit(v) },
  backups: { nav: 'Backups', role: 'admin', render: v => operations.backups(v) },
};

let leaving = new AbortController();
// Why the sign-in shows, until someone signs in: kept, so whichever page asks for the sign-in says it.
let signInReason = null;

/** Ends what the page on screen follows (its watches and timers) and returns the signal of the next one. */
function leave() {
  leaving.abort();
  leaving = new AbortController();
  return leaving.signal;
}

function renderNav(active) {
  const links = Object.entries(pages)
    .filter(([, page]) => page.nav && (!page.role || can(page.role, '*')))
    .map(([name, page]) => el('li', {}, el('a', { href: `#/${name}`, 'aria-current': name === active ? 'page' : null }, page.nav)));
  document.getElementById('nav').replaceChildren(...links);
}

function renderWho() {
  const current = session.current;
  if (!current?.authEnabled) {
    who.replaceChildren(el('span', {}, 'Auth off: every action is allowed.'));
    return;
  }
  if (!current.token) {
    who.replaceChildren(el('span', {}, 'Not signed in'));
    return;
  }
  who.replaceChildren(
    el('span', {}, `Signed in as ${current.token.name} (${current.token.roles.join(', ')}; ${current.token.namespaces.join(', ')}) `),
    el('button', { type: 'button', onclick: () => {
      signOut();
      start();
    } }, 'Sign out'));
}

function signInPage() {
  leave();
  const reason = signInReason;
  const input = el('input', { id: 'token', type: 'password', required: true, autocomplete: 'off' });
  const error = el('p', { class: 'message error', role: 'alert', hidden: !reason }, reason ?? '');
  const form = el('form', { class: 'stacked sign-in', onsubmit: async event => {
    event.preventDefault();
    signIn(input.value.trim());
    try {
      await identify();
      signInReason = null;
      await route();
    } catch (problem) {
      signOut();
      error.textContent = problem.message;
      error.hidden = false;
      input.focus();
    }
  } },
  el('p', {}, 'This registry requires a token. Sign in with one; what it may do decides what this console offers.'),
  el('label', { for: 'token' }, 'Token'), input, error,
  el('button', { type: 'submit', class: 'primary' }, 'Sign in'));
  view.replaceChildren(heading('Sign in'), form);
  renderNav(null);
  renderWho();
  input.focus();
}

async function identify() {
  session.current = await getJson('/v1/tokens/current');
}

/** Renders the page the URL names; <navigated>: the user moved here, so focus goes to the new page's heading. */
async function route(navigated = false) {
  const signal = leave();
  const [path, search] = location.hash.replace(/^#\/?/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const name = pages[parts[0]] ? parts[0] : 'naming';
  const page = pages[name];
  if (session.current?.authEnabled && !session.current.token) {
    signInPage();
    return;
  }
  renderNav(name);
  renderWho();
  if (page.role && !can(page.role, '*')) {
    view.replaceChildren(heading('Not allowed'), el('p', {}, `Your token does not have the ${page.role} role across all namespaces this page needs.`));
    return;
  }
  try {
    await page.render(view, signal, parts.slice(1), new URLSearchParams(search ?? ''));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      await expired();
      return;
    }
    view.replaceChildren(heading('Something went wrong'), el('p', { class: 'message error', role: 'alert' }, error.message));
  }
  // After navigating, a keyboard or screen reader user starts at the new content.
  if (navigated) document.getElementById('page-title')?.focus({ preventScroll: true });
}

/** The health banner: the store, self-preservation and the cluster, read from /readyz every few seconds. */
async function health() {
  try {
    const response = await fetch('/readyz', { headers: { accept: 'application/json' } });
    const report = await response.json();
    const checks = report.checks ?? {};
    const notes = [];
    if (checks.store?.status === 'Unhealthy') notes.push(['error', `Store unavailable: ${checks.store.description}`]);
    if (checks.selfPreservation?.data?.active) notes.push(['warning', checks.selfPreservation.description]);
    const cluster = checks.cluster;
    if (cluster?.data?.node) {
      notes.push([cluster.status === 'Healthy' ? 'info' : 'warning',
        `Cluster: ${cluster.description} Live: ${(cluster.data.live ?? []).join(', ')}.`]);
    }
    banner.replaceChildren(...notes.map(([kind, text]) => el('p', { class: `banner ${kind}` }, text)));
  } catch {
    banner.replaceChildren(el('p', { class: 'banner error' }, 'The registry does not answer.'));
  }
}

/**
 * The token was refused: forget it and ask for another. Several reads can find out at once (a page's request, a
 * watch, a timer); the first one handles it.
 */
async function expired() {
  if (!session.token) return;
  signOut();
  signInReason = 'The token is no longer accepted (revoked or expired). Sign in again.';
  await identify();
  signInPage();
}

async function start() {
  try {
    await identify();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      await expired();
      return;
    }
    throw error;
  }
  await route();
}

window.addEventListener('hashchange', () => route(true));
// A token revoked or expired while a page follows the registry: back to sign-in.
window.addEventListener(failureEvent, event => {
  if (event.detail instanceof ApiError && event.detail.status === 401) expired();
});
health();
setInterval(health, 10000);
await start();
