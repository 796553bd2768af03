// The routes and menu entries of the alerting, people and audit pages (#/ops/…), kept apart from app.js's own.
import { session } from './api.js';
import { hierarchy } from './hierarchy.js';
import OpsAlertingView from './views/ops-alerting-view.js';
import OpsPeopleView from './views/ops-people-view.js';
import OpsAuditView from './views/ops-audit-view.js';

export const opsViews = { OpsAlertingView, OpsPeopleView, OpsAuditView };

/** The route of {@code parts} (the hash's path, decoded) when it is an ops page, else null. */
export function opsRoute(parts) {
  if (parts[0] !== 'ops') return null;
  if (parts[1] === 'alerting') return { view: 'ops-alerting', nodeId: parts[2] ?? null };
  if (parts[1] === 'people' && parts[2] === 'user' && parts[3]) return { view: 'ops-people', page: 'user', target: parts[3] };
  if (parts[1] === 'people') return { view: 'ops-people', page: 'list', target: null };
  if (parts[1] === 'access') return { view: 'ops-people', page: 'access', target: parts[2] ?? null };
  if (parts[1] === 'audit') return { view: 'ops-audit' };
  return null;
}

/** The component and properties that show an ops route. */
export function opsPage(route) {
  if (route.view === 'ops-alerting') return { is: 'ops-alerting-view', props: { nodeId: route.nodeId ?? hierarchy.roots[0].id } };
  if (route.view === 'ops-people') return { is: 'ops-people-view', props: { page: route.page, target: route.target ?? (route.page === 'access' ? hierarchy.roots[0].id : null) } };
  return { is: 'ops-audit-view', props: {} };
}

/** The menu entries the session's role is offered: alerting for everyone, people and audit for admins. */
export function opsMenu() {
  const entries = [{ href: '#/ops/alerting', view: 'ops-alerting', key: 'ops.alerting' }];
  if (session.role === 'admin') {
    entries.push({ href: '#/ops/people', view: 'ops-people', key: 'ops.people' }, { href: '#/ops/audit', view: 'ops-audit', key: 'ops.audit' });
  }
  return entries;
}
