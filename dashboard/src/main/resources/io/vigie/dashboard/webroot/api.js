// The only place that calls fetch(): the session's token, renewal, and errors in one shape.
//
// Session choice: the access token is kept in sessionStorage (this tab only, gone when it closes) so a
// reload keeps you logged in until the token expires; the password is kept in memory only (never in
// any storage) to ask for a new token before the current one expires. After a reload there is no
// password: the session then ends when its token expires, and the login page says so.
import { reactive } from 'vue';

const STORE = 'vigie.session';
const RENEW_AT = 0.8;              // renew when 80 % of the token's life has passed

export const session = reactive({ token: null, user: null, tenant: null, role: null, scopes: [], expiresAt: 0, ended: null });

let password = null;
let timer = null;

/** An API failure: HTTP status (0 when the server could not be reached), the API's code and message. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

function claims(token) {
  const base64 = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(base64), c => c.charCodeAt(0))));
}

function open(token, expiresInSeconds) {
  const c = claims(token);
  Object.assign(session, {
    token, user: c.sub, tenant: c.tenant, role: c.role, scopes: c.scopes ?? [], ended: null,
    expiresAt: c.exp ? c.exp * 1000 : Date.now() + expiresInSeconds * 1000,
  });
  sessionStorage.setItem(STORE, token);
  clearTimeout(timer);
  const life = session.expiresAt - Date.now();
  timer = password ? setTimeout(renew, Math.max(1000, life * RENEW_AT)) : setTimeout(() => end('expired'), life);
}

async function tokenFor(username, secret) {
  const body = { grant_type: 'password', username, password: secret };
  return call('POST', '/api/v1/auth/token', body, { anonymous: true });
}

export async function login(username, secret) {
  const answer = await tokenFor(username, secret);
  password = secret;
  open(answer.access_token, answer.expires_in);
}

async function renew() {
  try {
    const answer = await tokenFor(session.user, password);
    open(answer.access_token, answer.expires_in);
  } catch (e) {
    // offline or server restarting: try again shortly while the token still holds
    if (e.status === 401) return end('expired');
    timer = setTimeout(renew, Math.min(30000, Math.max(1000, (session.expiresAt - Date.now()) / 4)));
  }
}

function end(reason) {
  clearTimeout(timer);
  password = null;
  sessionStorage.removeItem(STORE);
  Object.assign(session, { token: null, user: null, tenant: null, role: null, scopes: [], expiresAt: 0, ended: reason });
}

export function logout() {
  end('logout');
}

/** Picks up the token of this tab after a reload, when it is still valid. */
export function restore() {
  const token = sessionStorage.getItem(STORE);
  if (!token) return;
  try {
    if (claims(token).exp * 1000 > Date.now() + 5000) open(token, 0);
    else sessionStorage.removeItem(STORE);
  } catch {
    sessionStorage.removeItem(STORE);
  }
}

async function call(method, path, body, { anonymous = false, raw = false, type = 'application/json' } = {}) {
  const headers = { Accept: raw ? '*/*' : 'application/json' };
  if (!anonymous && session.token) headers.Authorization = `Bearer ${session.token}`;
  if (body !== undefined) headers['Content-Type'] = type;
  const sent = body === undefined || typeof body === 'string' ? body : JSON.stringify(body);
  let response;
  try {
    response = await fetch(path, { method, headers, body: sent });
  } catch {
    throw new ApiError(0, 'offline', 'unreachable');
  }
  if (response.status === 401 && !anonymous) end('expired');
  if (!response.ok) {
    let error = {};
    try { error = await response.json(); } catch { /* not JSON */ }
    const failure = new ApiError(response.status, error.error ?? String(response.status), error.message ?? response.statusText);
    failure.body = error;
    throw failure;
  }
  if (raw) return response.blob();
  return response.status === 204 ? null : response.json();
}

export const api = {
  get: (path) => call('GET', path),
  post: (path, body) => call('POST', path, body ?? {}),
  put: (path, body) => call('PUT', path, body),
  patch: (path, body) => call('PATCH', path, body),
  del: (path) => call('DELETE', path),
  blob: (path) => call('GET', path, undefined, { raw: true }),
  // a text body (a CSV import) sent as it is with its own type
  text: (path, text, type) => call('POST', path, text, { type }),
};

/** A query string of the defined values of {@code params}. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') q.set(key, value);
  const text = q.toString();
  return text ? `?${text}` : '';
}
