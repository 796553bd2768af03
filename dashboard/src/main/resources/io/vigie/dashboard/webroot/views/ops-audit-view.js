// The audit trail (#/ops/audit): who changed what and when, newest first (GET /api/v1/audit), filtered by subtree,
// kind, actor and time; "Load more" follows the answer's cursor. Admins only (the API answers them only).
import { t, tOr } from '../i18n.js';
import { api, query } from '../api.js';
import { dateTime } from '../format.js';
import { hierarchy } from '../hierarchy.js';
import { fromLocalInput, nodeName } from '../ops-forms.js';
import OpsNodePicker from '../components/ops-node-picker.js';
import StateMessage from '../components/state-message.js';

const KINDS = ['node', 'device', 'deviceType', 'user', 'client', 'rule', 'channel', 'silence', 'alert'];
const PAGE = 50;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** Node ids (or {id, name} steps) as the place names the user knows, root first. */
function placeNames(path) {
  return (path ?? []).map(p => (typeof p === 'string' ? nodeName(p) : p.name ?? p.id)).join(' › ');
}

export default {
  name: 'OpsAuditView',
  components: { OpsNodePicker, StateMessage },
  data: () => ({
    filters: { nodeId: hierarchy.roots[0]?.id ?? '', kind: '', actor: '', from: '', to: '' },
    entries: [], next: null, loading: true, error: null, more: false,
  }),
  computed: { kinds: () => KINDS },
  created() { this.search(); },
  methods: {
    t, dateTime, nodeName,
    kindWord: kind => tOr('ops.auditKind.' + kind, kind),
    actionWord: action => tOr('ops.auditAction.' + action, action),
    asked(cursor) {
      const f = this.filters;
      return query({ nodeId: f.nodeId, kind: f.kind, actor: f.actor.trim(), from: fromLocalInput(f.from), to: fromLocalInput(f.to), limit: PAGE, cursor });
    },
    async search() {
      this.loading = true;
      this.entries = [];
      this.next = null;
      const asked = this.asked();
      try {
        const answer = await api.get(`/api/v1/audit${asked}`);
        if (asked !== this.asked()) return;
        this.entries = answer.entries ?? [];
        this.next = answer.next ?? null;
        this.error = null;
      } catch (e) {
        this.error = e;
      } finally {
        this.loading = false;
      }
    },
    async loadMore() {
      this.more = true;
      try {
        const answer = await api.get(`/api/v1/audit${this.asked(this.next)}`);
        this.entries.push(...(answer.entries ?? []));
        this.next = answer.next ?? null;
      } catch (e) {
        this.error = e;
      } finally {
        this.more = false;
      }
    },
    errorText(e) {
      if (e.status === 404 || e.status === 501) return t('ops.auditUnavailable');
      if (e.status === 403) return t('ops.auditForbidden');
      return t('loadFailed', { message: e.message });
    },
    place(entry) { return placeNames(entry.path); },
    /** A changed value as a person reads it: times in the page's language, places by name. */
    shown(value, field) {
      if (value === undefined || value === null) return '–';
      if (typeof value === 'string' && INSTANT.test(value)) return dateTime(value);
      if (field === 'path' && Array.isArray(value)) return placeNames(value);
      if (field === 'nodeId' && typeof value === 'string') return nodeName(value);
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
    },
  },
  template: `
    <section aria-labelledby="ops-audit-title" class="ops">
      <h1 id="ops-audit-title">{{ t('ops.audit') }}</h1>
      <form class="toolbar filters" @submit.prevent="search" :aria-label="t('ops.auditFilters')" data-test="audit-filters">
        <ops-node-picker v-model="filters.nodeId" :label="t('filter.place')"></ops-node-picker>
        <label class="ops-field">{{ t('ops.kind') }}<select name="kind" v-model="filters.kind">
          <option value="">{{ t('all') }}</option><option v-for="k in kinds" :value="k">{{ kindWord(k) }}</option></select></label>
        <label class="ops-field">{{ t('ops.actor') }}<input name="actor" v-model="filters.actor" autocomplete="off"></label>
        <label class="ops-field">{{ t('from') }}<input name="from" type="datetime-local" v-model="filters.from"></label>
        <label class="ops-field">{{ t('to') }}<input name="to" type="datetime-local" v-model="filters.to"></label>
        <button type="submit" data-test="audit-search">{{ t('show') }}</button>
      </form>
      <state-message v-if="error" kind="error" :text="errorText(error)"></state-message>
      <state-message v-else-if="loading" kind="loading" :text="t('loading')"></state-message>
      <state-message v-else-if="!entries.length" kind="empty" :text="t('ops.noAudit')"></state-message>
      <ol v-if="entries.length" class="ops-audit" data-test="audit-entries">
        <li v-for="e in entries" :key="e.id" class="ops-card" :data-audit-id="e.id">
          <div class="ops-head">
            <strong>{{ e.actor?.name ?? e.actor?.sub }}</strong>
            <span class="ops-tag">{{ kindWord(e.kind) }}</span>
            <span data-test="audit-action" :data-action="e.action">{{ actionWord(e.action) }}</span>
            <span class="ops-target">{{ e.targetName ?? e.targetId }}</span>
            <time :datetime="e.at" class="note">{{ dateTime(e.at) }}</time>
          </div>
          <p v-if="place(e)" class="note">{{ place(e) }}<span v-if="e.actor?.role"> · {{ t('ops.role') }}: {{ t('ops.role.' + e.actor.role) }}</span></p>
          <table v-if="e.changes && Object.keys(e.changes).length" class="ops-table ops-changes">
            <thead><tr><th>{{ t('ops.field') }}</th><th>{{ t('ops.before') }}</th><th>{{ t('ops.after') }}</th></tr></thead>
            <tbody><tr v-for="(change, field) in e.changes" :key="field"><td>{{ field }}</td>
              <td v-if="change.changed" colspan="2" data-test="hidden-change">{{ t('ops.changedHidden') }}</td>
              <template v-else><td class="ops-wrap">{{ shown(change.from, field) }}</td><td class="ops-wrap">{{ shown(change.to, field) }}</td></template></tr></tbody>
          </table>
          <p v-if="e.comment" class="comment">“{{ e.comment }}”</p>
        </li>
      </ol>
      <div class="toolbar" v-if="next && !error">
        <button type="button" class="secondary" @click="loadMore" :disabled="more" data-test="audit-more">{{ more ? t('loading') : t('ops.loadMore') }}</button>
      </div>
    </section>`,
};
