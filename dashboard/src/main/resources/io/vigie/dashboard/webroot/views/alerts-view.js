// The alert list: filters (status, severity, subtree), acknowledge with a comment, clear; kept live.
import { t } from '../i18n.js';
import { api, query, session } from '../api.js';
import { subscribe, onReconnect } from '../live.js';
import { hierarchy, flatNodes } from '../hierarchy.js';
import { canOperate } from '../ops-forms.js';
import AlertTable from '../components/alert-table.js';
import CommentDialog from '../components/comment-dialog.js';
import StateMessage from '../components/state-message.js';

const SEVERITY_ORDER = { critical: 0, major: 1, minor: 2, warning: 3 };
const FILTERS = [
  { name: 'status', values: ['active', 'acknowledged', 'cleared'], words: 'alertStatus.' },
  { name: 'severity', values: Object.keys(SEVERITY_ORDER), words: 'severity.' },
];

export default {
  name: 'AlertsView',
  components: { AlertTable, CommentDialog, StateMessage },
  data: () => ({
    chosen: { status: 'active', severity: '' }, nodeId: hierarchy.roots[0]?.id ?? '', alerts: {}, loading: true, error: null,
    pending: null, actionError: null, stopLive: null,
  }),
  computed: {
    nodes: () => flatNodes(),
    // viewers and partners may not acknowledge nor clear: they are not offered to
    mayAct: () => canOperate(session.role),
    filters: () => FILTERS,
    shown() {
      return Object.values(this.alerts)
        .filter(a => (!this.chosen.status || a.status === this.chosen.status) && (!this.chosen.severity || a.severity === this.chosen.severity))
        .filter(a => !this.nodeId || (a.path ?? []).some(p => (p.id ?? p) === this.nodeId))
        .sort((a, b) => (SEVERITY_ORDER[a.severity] ?? 9) - (SEVERITY_ORDER[b.severity] ?? 9) || b.startedAt.localeCompare(a.startedAt));
    },
  },
  watch: { nodeId: { handler: 'load', immediate: true }, chosen: { handler: 'fetch', deep: true } },
  unmounted() { this.stopLive?.(); },
  methods: {
    t,
    load() {
      this.stopLive?.();
      if (!this.nodeId) return;
      const stops = [subscribe(`alerts.node.${this.nodeId}`, alert => { this.alerts[alert.id] = alert; }), onReconnect(() => this.fetch())];
      this.stopLive = () => stops.forEach(stop => stop());
      this.fetch();
    },
    async fetch() {
      this.loading = true;
      const asked = { nodeId: this.nodeId, ...this.chosen };
      try {
        const answer = await api.get(`/api/v1/alerts${query(asked)}`);
        if (asked.nodeId !== this.nodeId || asked.status !== this.chosen.status || asked.severity !== this.chosen.severity) return;
        this.alerts = Object.fromEntries((answer.alerts ?? []).map(a => [a.id, a]));
        this.error = null;
      } catch (e) {
        this.error = e;
      } finally {
        this.loading = false;
      }
    },
    ask(kind, alert) {
      this.actionError = null;
      this.pending = { kind, alert };
    },
    async confirm(comment) {
      const { kind, alert } = this.pending;
      try {
        const body = comment ? { comment } : {};
        const updated = await api.post(`/api/v1/alerts/${encodeURIComponent(alert.id)}/${kind}`, body);
        this.alerts[alert.id] = updated?.id ? updated : await api.get(`/api/v1/alerts/${encodeURIComponent(alert.id)}`);
        this.pending = null;
      } catch (e) {
        this.actionError = e.message;
      }
    },
  },
  template: `
    <section aria-labelledby="alerts-title">
      <h1 id="alerts-title">{{ t('alerts') }}</h1>
      <form class="toolbar filters" @submit.prevent="fetch" :aria-label="t('filters')">
        <label v-for="filter in filters" :key="filter.name">{{ t('filter.' + filter.name) }}
          <select v-model="chosen[filter.name]" :name="filter.name">
            <option value="">{{ t('all') }}</option>
            <option v-for="value in filter.values" :value="value">{{ t(filter.words + value) }}</option>
          </select>
        </label>
        <label>{{ t('filter.place') }}
          <select v-model="nodeId" name="node">
            <option v-for="n in nodes" :value="n.id">{{ '\u00a0\u00a0'.repeat(n.depth) + n.name }}</option>
          </select>
        </label>
      </form>
      <state-message v-if="error" kind="error" :text="t('loadFailed', { message: error.message })"></state-message>
      <state-message v-else-if="loading && !shown.length" kind="loading" :text="t('loading')"></state-message>
      <state-message v-else-if="!shown.length" kind="empty" :text="t('noAlerts')"></state-message>
      <alert-table v-if="shown.length" :alerts="shown" :actions="mayAct" @ack="ask('ack', $event)" @clear="ask('clear', $event)"></alert-table>
      <comment-dialog v-if="pending" :title="t(pending.kind === 'ack' ? 'ackTitle' : 'clearTitle')"
        :action="t(pending.kind === 'ack' ? 'acknowledge' : 'clear')" :error="actionError"
        @confirm="confirm" @cancel="pending = null"></comment-dialog>
    </section>`,
};
