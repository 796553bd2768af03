// The part of the hierarchy the user may see: one tree per scope (GET /api/v1/nodes/{id}/tree).
import { reactive } from 'vue';
import { api, session } from './api.js';

export const hierarchy = reactive({ roots: [], loaded: false, loading: false, error: null });

export async function loadHierarchy() {
  hierarchy.loading = true;
  hierarchy.error = null;
  try {
    const trees = await Promise.all(session.scopes.map(id => api.get(`/api/v1/nodes/${encodeURIComponent(id)}/tree`)));
    // a scope inside another scope's tree is shown there, not twice
    hierarchy.roots = trees.filter(tree => !trees.some(other => other !== tree && findIn(other, tree.id)));
    hierarchy.loaded = true;
  } catch (e) {
    hierarchy.error = e;
  } finally {
    hierarchy.loading = false;
  }
}

function findIn(node, id) {
  if (node.id === id) return node;
  for (const child of node.children ?? []) {
    const found = findIn(child, id);
    if (found) return found;
  }
  return null;
}

export function findNode(id) {
  for (const root of hierarchy.roots) {
    const found = findIn(root, id);
    if (found) return found;
  }
  return null;
}

/**
 * Every device below {@code node}: {devEui, node (the one it is attached to), place (the names between
 * {@code node} and that one, e.g. "Lyon › Kitchen" below the root)}.
 */
export function devicesUnder(node, above = null) {
  if (!node) return [];
  const own = (node.devices ?? []).map(devEui => ({ devEui, node, place: (above ?? []).join(' › ') }));
  const path = above === null ? [] : [...above, node.name];
  return own.concat(...(node.children ?? []).map(child => devicesUnder(child, path)));
}

/** The node a device is attached to, with the names above it. */
export function deviceNode(devEui) {
  for (const root of hierarchy.roots) {
    const found = devicesUnder(root, []).find(d => d.devEui === devEui);
    if (found) return found;
  }
  return null;
}

/** Every visible node, depth first, with its depth (for a subtree picker). */
export function flatNodes() {
  const out = [];
  const walk = (node, depth) => {
    out.push({ id: node.id, name: node.name, depth });
    (node.children ?? []).forEach(child => walk(child, depth + 1));
  };
  hierarchy.roots.forEach(root => walk(root, 0));
  return out;
}
