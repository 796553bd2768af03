// What the administration pages share: who may change what (docs/access-control.md; the API refuses it anyway),
// and counts of a subtree from the visible hierarchy.
import { session } from './api.js';

/** Nodes: create, rename, move, delete. */
export const mayAdminister = () => session.role === 'admin';
/** Devices: create, edit, move, import. */
export const mayManageDevices = () => session.role === 'admin' || session.role === 'operator';
/** Device types belong to the whole tenant: written by an admin or operator scoped to the tenant root. */
export const mayManageTypes = () => mayManageDevices() && session.scopes.includes(session.tenant);
/** The tools routes (frame debugger, codec playground). */
export const mayUseTools = mayManageDevices;

/** {nodes, devices} in the subtree of {@code node}, the node included. */
export function subtreeCounts(node) {
  let nodes = 0;
  let devices = 0;
  const walk = n => {
    nodes += 1;
    devices += (n.devices ?? []).length;
    (n.children ?? []).forEach(walk);
  };
  if (node) walk(node);
  return { nodes, devices };
}

export const enc = encodeURIComponent;

/** The error line of a codec message such as "<eval>:3:12 Expected ;" or "… at line 3", or 0. */
export function errorLine(messages) {
  for (const message of messages ?? []) {
    const found = /(?:line\s+|:)(\d+)(?::\d+)?/i.exec(String(message));
    if (found) return Number(found[1]);
  }
  return 0;
}
