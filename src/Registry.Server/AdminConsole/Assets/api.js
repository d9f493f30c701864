// The console's one way to the registry's HTTP API: the signed-in token on every request, problems turned into
// readable messages, and server-sent events read over fetch (EventSource cannot send a token).
const tokenKey = 'registry.console.token';

export const session = {
  token: sessionStorage.getItem(tokenKey),
  // GET /v1/tokens/current: { authEnabled, token: { name, roles, namespaces } | null }
  current: null,
};

export function signIn(token) {
  session.token = token;
  sessionStorage.setItem(tokenKey, token);
}

export function signOut() {
  session.token = null;
  session.current = null;
  sessionStorage.removeItem(tokenKey);
}

/** Whether the signed-in token may do what <role> protects in namespace <ns> ('*': across all of them). */
export function can(role, ns) {
  const current = session.current;
  if (!current || !current.authEnabled) return true;
  const token = current.token;
  if (!token) return false;
  const granted = token.roles.some(r => r === 'admin' || r === role || (r === 'write' && (role === 'register' || role === 'read')));
  const spans = token.namespaces.includes('*') || (ns !== '*' && token.namespaces.includes(ns));
  return granted && spans;
}

/** A refused request: its status and, when the server sent one, its problem (application/problem+json). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(describe(status, problem));
    this.status = status;
    this.problem = problem;
  }
}

function describe(status, problem) {
  if (!problem) return `The registry answered ${status}.`;
  const fields = Object.entries(problem.errors ?? {}).flatMap(([field, messages]) => messages.map(m => `${field}: ${m}`));
  return [problem.title, fields.length > 0 ? fields.join(' ') : problem.detail].filter(Boolean).join(' ');
}

function headers(extra = {}) {
  const all = { ...extra };
  if (session.token) all.authorization = `Bearer ${session.token}`;
  return all;
}

/** The event a background read that failed is reported by (its detail: the error), for the shell to act on. */
export const failureEvent = 'registry-failure';

/** Reports an error of work no user action awaits (a reload after a watch event, a timer). */
export function failed(error) {
  window.dispatchEvent(new CustomEvent(failureEvent, { detail: error }));
}

/** Sends a request; resolves to the response when it succeeds, else throws an ApiError. */
export async function send(path, { method = 'GET', body, type, accept = 'application/json', extra = {} } = {}) {
  const all = headers({ accept, ...extra });
  if (type) all['content-type'] = type;
  const response = await fetch(path, { method, body, headers: all });
  if (response.ok || response.status === 304) return response;
  const problem = (response.headers.get('content-type') ?? '').includes('json') ? await response.json().catch(() => null) : null;
  throw new ApiError(response.status, problem);
}

/**
 * For a view that reads again on every change: run(read) resolves to what read() resolves to, or to undefined when
 * a newer run started meanwhile, so an older answer that arrives late never replaces a newer one.
 */
export function newestOnly() {
  let latest = 0;
  return async read => {
    const ticket = ++latest;
    const value = await read();
    return ticket === latest ? value : undefined;
  };
}

export async function getJson(path) {
  return (await send(path)).json();
}

export async function sendJson(path, method, value, extra = {}) {
  const response = await send(path, { method, body: JSON.stringify(value), type: 'application/json', extra });
  return response.status === 204 ? null : response.json();
}

/** A query string from the defined entries of an object. */
export function query(values) {
  const parameters = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && value !== null && value !== '') parameters.set(key, value);
  }
  const text = parameters.toString();
  return text ? `?${text}` : '';
}

/**
 * Follows a server-sent event stream until <signal> aborts: each event goes to onEvent(name, data), and onOpen()
 * runs each time the stream opens; a dropped stream is opened again after a pause, resuming after the last event
 * id it saw.
 */
export function watch(path, onEvent, signal, onOpen = () => {}) {
  let lastId = null;
  (async () => {
    while (!signal.aborted) {
      try {
        const response = await fetch(path, {
          headers: headers({ accept: 'text/event-stream', ...(lastId ? { 'last-event-id': lastId } : {}) }),
          signal,
        });
        if (response.status === 401) {
          failed(new ApiError(401, null));
          return;
        }
        if (!response.ok) throw new Error(`watch answered ${response.status}`);
        onOpen();
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value.replaceAll('\r\n', '\n');
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let name = 'message';
            const data = [];
            for (const line of block.split('\n')) {
              const colon = line.indexOf(':');
              if (colon === 0) continue;
              const field = colon < 0 ? line : line.slice(0, colon);
              const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
              if (field === 'event') name = text;
              else if (field === 'data') data.push(text);
              else if (field === 'id') lastId = text;
            }
            if (data.length > 0) onEvent(name, data.join('\n'));
          }
        }
      } catch {
        // Dropped, refused or aborted: try again unless the page is done with it.
      }
      if (!signal.aborted) await new Promise(resolve => setTimeout(resolve, 2000));
    }
  })();
}

/**
 * Runs load() again, once per burst, whenever an event arrives on any of the streams, until <signal> aborts; and
 * each time a stream (re)opens, for what changed between the page's read, or a dropped stream, and that moment.
 */
export function follow(paths, load, signal) {
  let pending = null;
  const again = () => {
    clearTimeout(pending);
    pending = setTimeout(() => load().catch(failed), 150);
  };
  for (const path of paths) {
    watch(path, again, signal, again);
  }
  signal.addEventListener('abort', () => clearTimeout(pending));
}
