// A fridge's status, always shown as a colour AND a word: ok, warning, alert, silent.
export const SILENT_AFTER_MS = 15 * 60 * 1000;   // no uplink for 15 minutes
const ALERT_SEVERITIES = new Set(['critical', 'major']);

export function isOpen(alert) {
  return alert.status === 'active' || alert.status === 'acknowledged';
}

/** @param lastSeen ISO time of the latest uplink (or null); @param alerts the device's alerts */
export function fridgeStatus(lastSeen, alerts, now = Date.now()) {
  const open = (alerts ?? []).filter(isOpen);
  if (open.some(a => ALERT_SEVERITIES.has(a.severity))) return 'alert';
  if (open.length > 0) return 'warning';
  if (!lastSeen || now - new Date(lastSeen).getTime() > SILENT_AFTER_MS) return 'silent';
  return 'ok';
}
