// The chart's ranges, the bucket width for a range, and the threshold lines of the rules that apply.
import { ruleTitle } from './format.js';

const HOUR = 3600000;
export const RANGES = [
  { id: '1h', ms: HOUR }, { id: '24h', ms: 24 * HOUR }, { id: '7d', ms: 7 * 24 * HOUR }, { id: '30d', ms: 30 * 24 * HOUR },
];
const INTERVALS = [['1m', 60000], ['5m', 300000], ['15m', 900000], ['1h', HOUR], ['6h', 6 * HOUR], ['1d', 24 * HOUR], ['7d', 7 * 24 * HOUR]];
const MAX_BUCKETS = 200;

/** The narrowest bucket width that keeps a range under MAX_BUCKETS buckets (1 h → 1 min, 24 h → 15 min, 7 days → 1 h, 30 days → 6 h). */
export function intervalFor(spanMs) {
  return (INTERVALS.find(([, ms]) => spanMs / ms <= MAX_BUCKETS) ?? INTERVALS[INTERVALS.length - 1])[0];
}

/** Lines {value, label} for the temperature rules among {@code rules} (GET /api/v1/nodes/{id}/effective-rules). */
export function thresholdsOf(rules, t) {
  const lines = [];
  for (const rule of rules) {
    if (rule.enabled === false || (rule.measurement && rule.measurement !== 'temperature')) continue;
    const name = ruleTitle(rule);
    const line = (value, kind) => {
      if (typeof value === 'number') lines.push({ value, label: t('threshold', { name, kind: t('rule.' + kind), value }) });
    };
    if (rule.kind === 'above' || rule.kind === 'below') line(rule.threshold, rule.kind);
    if (rule.kind === 'outside') {
      line(rule.min, 'below');
      line(rule.max, 'above');
    }
  }
  return lines;
}
