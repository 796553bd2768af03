// The only place that talks to the SockJS event-bus bridge (/eventbus): subscriptions, reconnection.
// The bridge's JSON frames are few (register, unregister, ping, rec, err), so they are written here
// directly on the SockJS client rather than through the vertx event-bus client, whose reconnection
// does not register the handlers again with a fresh token.
import { reactive } from 'vue';
import { session } from './api.js';

const PING_MS = 5000;              // the bridge closes sockets silent for 10 s
const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 5000;

/** connected: the socket is open; down: it was open once and is not now (the banner shows). */
export const live = reactive({ connected: false, down: false, refused: 0, dropped: 0 });

const handlers = new Map();        // address → Set of functions(body)
const reconnected = new Set();     // functions called after each reconnection
let socket = null;
let wanted = false;
let attempts = 0;
let ping = null;
let retry = null;
let everOpen = false;

function send(frame) {
  if (socket && live.connected) socket.send(JSON.stringify(frame));
}

function register(address) {
  send({ type: 'register', address, headers: { Authorization: `Bearer ${session.token}` } });
}

function connect() {
  const current = new window.SockJS('/eventbus');
  socket = current;
  current.onopen = () => {
    attempts = 0;
    live.connected = true;
    live.down = false;
    for (const address of handlers.keys()) register(address);
    ping = setInterval(() => send({ type: 'ping' }), PING_MS);
    if (everOpen) reconnected.forEach(f => f());
    everOpen = true;
  };
  current.onmessage = (event) => {
    const frame = JSON.parse(event.data);
    if (frame.type === 'rec') handlers.get(frame.address)?.forEach(f => f(frame.body));
    // A snapshot (the answer to each register, docs/realtime.md) carries what pushes carry: apply each one.
    else if (frame.type === 'snapshot') (frame.body || []).forEach(b => handlers.get(frame.address)?.forEach(f => f(b, { snapshot: true })));
    else if (frame.type === 'err' && frame.body === 'dropped') live.dropped += frame.count || 1;
    else if (frame.type === 'err') live.refused += 1;
  };
  current.onclose = () => {
    if (current !== socket) return;
    clearInterval(ping);
    live.connected = false;
    live.down = everOpen;
    if (!wanted) return;
    const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** attempts++) * (0.8 + Math.random() * 0.4);
    retry = setTimeout(connect, delay);
  };
}

/** Opens the connection (once logged in); it reconnects by itself until {@link stop}. */
export function start() {
  if (wanted) return;
  wanted = true;
  connect();
}

export function stop() {
  wanted = false;
  everOpen = false;
  clearTimeout(retry);
  clearInterval(ping);
  const current = socket;
  socket = null;
  current?.close();
  Object.assign(live, { connected: false, down: false, refused: 0, dropped: 0 });
  handlers.clear();
}

/** Calls {@code f} with each push to {@code address}; returns the function that stops it. */
export function subscribe(address, f) {
  let set = handlers.get(address);
  if (!set) {
    set = new Set();
    handlers.set(address, set);
    register(address);
  }
  set.add(f);
  return () => {
    set.delete(f);
    if (set.size === 0 && handlers.get(address) === set) {
      handlers.delete(address);
      send({ type: 'unregister', address });
    }
  };
}

/** Calls {@code f} after each reconnection (to fetch again what was missed); returns the function that stops it. */
export function onReconnect(f) {
  reconnected.add(f);
  return () => reconnected.delete(f);
}
