// Small pure helpers of the alerting and people pages: ISO-8601 durations in minutes, rule limits in words,
// datetime-local inputs, node names.
import { t } from './i18n.js';
import { number } from './format.js';
import { findNode } from './hierarchy.js';

/** "PT1H30M" → 90; null for an absent or unreadable duration. */
export function minutes(iso) {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(iso ?? '');
  return m ? Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0) + Math.round(Number(m[3] ?? 0) / 60) : null;
}

/** 90 → "PT90M"; null for empty. */
export function duration(mins) {
  return mins === '' || mins === null || mins === undefined ? null : `PT${Math.round(Number(mins))}M`;
}

/** A rule's limit in words: "above 8.0 for 15 min (clears at 7.0)". */
export function ruleLimit(rule) {
  const parts = [];
  if (rule.kind === 'outside') parts.push(`${t('ops.between')} ${number(rule.min)} – ${number(rule.max)}`);
  else if (rule.kind === 'rate') parts.push(`${number(rule.perHour)} ${t('ops.perHour')}`);
  else if (rule.threshold != null) parts.push(number(rule.threshold));
  const mins = minutes(rule.for);
  if (mins) parts.push(t('ops.forMinutes', { n: mins }));
  if (rule.clearBelow != null || rule.clearAbove != null) {
    parts.push(t('ops.clearsAt', { value: [rule.clearAbove, rule.clearBelow].filter(v => v != null).map(v => number(v)).join(' – ') }));
  }
  return parts.join(' · ');
}

/** An RFC 3339 time as the value of a datetime-local input (local time), and back. */
export function localInput(date) {
  const d = new Date(date);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromLocalInput(value) {
  return value ? new Date(value).toISOString() : null;
}

/** The name of a visible node, else its id. */
export function nodeName(id) {
  return findNode(id)?.name ?? id;
}

/** The ids from the visible root down to {@code id} (empty when the node is not visible). */
export function visiblePath(roots, id) {
  const walk = (node, above) => {
    const path = [...above, node.id];
    if (node.id === id) return path;
    for (const child of node.children ?? []) {
      const found = walk(child, path);
      if (found) return found;
    }
    return null;
  };
  for (const root of roots) {
    const found = walk(root, []);
    if (found) return found;
  }
  return [];
}

/** Whether the session's role may change alerting (rules, channels, silences): operator or admin. */
export function canOperate(role) {
  return role === 'admin' || role === 'operator';
}

/** A load of a page part: {@code vm.loading} while it runs, {@code vm.error} its failure (null once it succeeds). */
export async function loadInto(vm, task) {
  vm.loading = true;
  try {
    await task();
    vm.error = null;
  } catch (e) {
    vm.error = e;
  } finally {
    vm.loading = false;
  }
}

/**
 * A change (save, delete…) followed by {@code vm.load()}; a failure goes to {@code vm.formError} (the API's message,
 * shown in the form) or, with {@code field} "error", to the part's error state.
 */
export async function change(vm, task, field = 'formError') {
  try {
    await task();
    await vm.load();
  } catch (e) {
    vm[field] = field === 'error' ? e : e.message;
  }
}
