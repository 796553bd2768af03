// Numbers, times and durations in the current language.
import { i18n, t, tOr } from './i18n.js';

export function number(value, digits = 1) {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  return new Intl.NumberFormat(i18n.lang, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

export function dateTime(iso) {
  if (!iso) return '–';
  return new Intl.DateTimeFormat(i18n.lang, { dateStyle: 'short', timeStyle: 'medium' }).format(new Date(iso));
}

/** "12 s ago", "3 min ago", "2 h ago", "4 days ago". */
export function ago(iso, now = Date.now()) {
  if (!iso) return t('never');
  const seconds = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  const format = new Intl.RelativeTimeFormat(i18n.lang, { numeric: 'always', style: 'short' });
  if (seconds < 60) return format.format(-seconds, 'second');
  if (seconds < 3600) return format.format(-Math.floor(seconds / 60), 'minute');
  if (seconds < 86400) return format.format(-Math.floor(seconds / 3600), 'hour');
  return format.format(-Math.floor(seconds / 86400), 'day');
}

/** The value of the first measurement named {@code name} (lowest channel first), or null. */
export function measurement(measurements, name) {
  const found = (measurements ?? []).filter(m => m.name === name)
    .sort((a, b) => (a.channel ?? -1) - (b.channel ?? -1))[0];
  return found ? { value: found.value, unit: found.unit } : null;
}

// the units of the standard measurements whose unit is fixed (docs/payload codecs: temperature in Cel, humidity in %RH)
const UNITS = { temperature: '°C', humidity: '%' };

/** A value of a standard measurement with its unit when it is fixed: "12.0 °C"; the bare number otherwise. */
export function valueOf(value, measurementName) {
  const unit = UNITS[measurementName];
  return unit ? `${number(value)} ${unit}` : number(value);
}

/** A text with its first letter in capitals ("no data" → "No data"). */
export const capital = text => text.charAt(0).toUpperCase() + text.slice(1);

// the ids of the rules every tenant starts with (alert-service's Rules.defaults), which have no name: an override of
// one takes the id as its name (that is what hides the inherited rule), and is called like it
const DEFAULT_RULES = ['default-temperature-above', 'default-no-data'];

/**
 * What a rule (or an alert of a rule) is called: its name; a rule without one (the tenant's default rules) by what it
 * watches, "Temperature above threshold", "No data"; its id only for a kind this page does not know.
 */
export function ruleTitle({ name, kind, measurement, id }) {
  if (name && !DEFAULT_RULES.includes(name)) return name;
  const m = measurement ?? '';
  const text = tOr('alertRule.' + kind, null, { measurement: tOr('measurementName.' + m, m) });
  return text === null ? (id ?? '') : capital(text.trim());
}
