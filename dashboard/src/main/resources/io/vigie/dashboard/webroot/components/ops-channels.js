// The notification channels on a node and below it: webhook (its secret typed, never shown back: the API says
// secretSet) or email (recipients, language); with editing: create, replace, delete, "send a test" and its result;
// the recent deliveries of each channel.
import { t } from '../i18n.js';
import { api, query } from '../api.js';
import { dateTime } from '../format.js';
import { nodeName, loadInto, change } from '../ops-forms.js';
import StateMessage from './state-message.js';
import OpsSection from './ops-section.js';
import OpsEditDelete from './ops-edit-delete.js';

const SEVERITIES = ['critical', 'major', 'minor', 'warning'];
const enc = encodeURIComponent;

export default {
  name: 'OpsChannels',
  components: { OpsEditDelete, StateMessage, OpsSection },
  props: { nodeId: { type: String, required: true }, editable: { type: Boolean, default: false } },
  data: () => ({ channels: [], loading: true, error: null, form: null, formError: null, tests: {}, deliveries: {}, open: {} }),
  computed: { severities: () => SEVERITIES },
  watch: { nodeId: { handler: 'load', immediate: true } },
  methods: {
    t, dateTime, nodeName,
    load() {
      this.form = null;
      return loadInto(this, async () => { this.channels = (await api.get(`/api/v1/notification-channels${query({ nodeId: this.nodeId })}`)).channels ?? []; });
    },
    add() {
      this.formError = null;
      this.form = { isNew: true, id: '', kind: 'webhook', url: '', secret: '', secretSet: false, to: '', lang: '', minSeverity: '', nodeId: this.nodeId };
    },
    edit(channel) {
      this.formError = null;
      this.form = { isNew: false, id: channel.id, kind: channel.kind, url: channel.url ?? '', secret: '', secretSet: !!channel.secretSet,
        to: (channel.to ?? []).join(', '), lang: channel.lang ?? '', minSeverity: channel.minSeverity ?? '', nodeId: channel.nodeId };
    },
    save() {
      const f = this.form;
      const body = { nodeId: f.nodeId, kind: f.kind, minSeverity: f.minSeverity || undefined };
      if (f.kind === 'webhook') Object.assign(body, { url: f.url, secret: f.secret || undefined });
      else Object.assign(body, { to: f.to.split(/[,;\s]+/).filter(Boolean), lang: f.lang || undefined });
      return change(this, () => api.put(`/api/v1/notification-channels/${enc(f.id)}`, body));
    },
    remove(channel) {
      if (confirm(t('ops.confirmDeleteChannel', { id: channel.id }))) change(this, () => api.del(`/api/v1/notification-channels/${enc(channel.id)}`), 'error');
    },
    async test(channel) {
      this.tests[channel.id] = { pending: true };
      try {
        this.tests[channel.id] = await api.post(`/api/v1/notification-channels/${enc(channel.id)}/test`);
      } catch (e) {
        this.tests[channel.id] = { delivered: false, error: e.message };
      }
      if (this.open[channel.id]) await this.loadDeliveries(channel);
    },
    async toggle(channel) {
      this.open[channel.id] = !this.open[channel.id];
      if (this.open[channel.id]) await this.loadDeliveries(channel);
    },
    async loadDeliveries(channel) {
      try {
        this.deliveries[channel.id] = (await api.get(`/api/v1/notification-channels/${enc(channel.id)}/deliveries`)).deliveries ?? [];
      } catch (e) {
        this.deliveries[channel.id] = { error: e.message };
      }
    },
    testResult(result) {
      if (!result || result.pending) return t('ops.testing');
      // a webhook answers with an HTTP status; an email is delivered once the SMTP server took it
      if (result.delivered) return result.status ? t('ops.testDelivered', { status: result.status }) : t('ops.testSent');
      return t('ops.testFailed', { error: result.error ?? result.status ?? '' });
    },
  },
  template: `
    <ops-section title-id="ops-channels-title" :title="t('ops.channels')" :note="t('ops.channelsNote')" @add="add"
      :add-label="editable && !form ? t('ops.addChannel') : null" add-test="add-channel"
      :error="error" :loading="loading" :empty="t('ops.noChannels')" :is-empty="!channels.length" :form-shown="!!form" :form-title="form ? (form.isNew ? t('ops.addChannel') : t('ops.editChannel', { id: form.id })) : ''" :form-label="t('ops.channelForm')" form-test="channel-form" @submit="save" :form-error="formError" :submit-label="t('ops.save')" submit-test="save-channel" @cancel="form = null">
      <ul class="ops-cards">
        <li v-for="channel in channels" :key="channel.id" class="ops-card" :data-channel-id="channel.id">
          <div class="ops-head">
            <strong>{{ channel.id }}</strong>
            <span class="ops-tag">{{ t('ops.kind.' + channel.kind) }}</span>
          </div>
          <dl class="facts">
            <dt>{{ t('filter.place') }}</dt><dd>{{ channel.nodeId === nodeId ? t('ops.definedHere') : nodeName(channel.nodeId) }}</dd>
            <template v-if="channel.kind === 'webhook'">
              <dt>{{ t('ops.url') }}</dt><dd>{{ channel.url }}</dd>
              <dt>{{ t('ops.secret') }}</dt><dd>{{ channel.secretSet ? t('ops.secretIsSet') : t('ops.secretNotSet') }}</dd>
            </template>
            <template v-else>
              <dt>{{ t('ops.recipients') }}</dt><dd>{{ (channel.to ?? []).join(', ') }}</dd>
              <dt>{{ t('language') }}</dt><dd>{{ channel.lang ? t('ops.lang.' + channel.lang) : t('ops.lang.both') }}</dd>
            </template>
            <dt>{{ t('ops.minSeverity') }}</dt><dd>{{ channel.minSeverity ? t('severity.' + channel.minSeverity) : t('all') }}</dd>
          </dl>
          <div class="toolbar">
            <button v-if="editable" type="button" @click="test(channel)" :aria-label="t('ops.testChannel', { id: channel.id })" data-test="test-channel">{{ t('ops.sendTest') }}</button>
            <button type="button" class="secondary" @click="toggle(channel)" :aria-expanded="!!open[channel.id]" data-test="deliveries-toggle"
              :aria-label="t('ops.deliveriesOf', { id: channel.id })">{{ t('ops.deliveries') }}</button>
            <ops-edit-delete v-if="editable" :edit-label="t('ops.editChannel', { id: channel.id })" :delete-label="t('ops.deleteChannel', { id: channel.id })"
              @edit="edit(channel)" @delete="remove(channel)"></ops-edit-delete>
          </div>
          <p v-if="tests[channel.id]" role="status" data-test="test-result"
             :class="['state', tests[channel.id].pending ? 'state-loading' : tests[channel.id].delivered ? 'state-ok' : 'state-error']">{{ testResult(tests[channel.id]) }}</p>
          <div v-if="open[channel.id]" class="table-scroll">
            <state-message v-if="!deliveries[channel.id]" kind="loading" :text="t('loading')"></state-message>
            <state-message v-else-if="deliveries[channel.id].error" kind="error" :text="t('loadFailed', { message: deliveries[channel.id].error })"></state-message>
            <state-message v-else-if="!deliveries[channel.id].length" kind="empty" :text="t('ops.noDeliveries')"></state-message>
            <table v-else class="ops-table" data-test="deliveries">
              <thead><tr><th>{{ t('ops.at') }}</th><th>{{ t('ops.transition') }}</th><th>{{ t('ops.outcome') }}</th><th>{{ t('ops.attempt') }}</th><th>{{ t('ops.detail') }}</th></tr></thead>
              <tbody>
                <tr v-for="d in deliveries[channel.id]">
                  <td>{{ dateTime(d.at) }}</td><td>{{ d.transition }}</td>
                  <td :class="'outcome-' + d.outcome" data-test="outcome">{{ t('ops.outcome.' + d.outcome) }}</td>
                  <td>{{ d.attempt }}</td><td>{{ d.status ?? '' }} {{ d.error ?? '' }}<span v-if="d.durationMs != null"> · {{ d.durationMs }} ms</span></td>
                </tr>
              </tbody>
            </table>
          </div>
        </li>
      </ul>
      <template #form>
          <label class="ops-field">{{ t('ops.channelId') }}<input name="id" v-model.trim="form.id" :readonly="!form.isNew" required maxlength="64"></label>
          <label class="ops-field">{{ t('ops.kind') }}<select name="kind" v-model="form.kind" :disabled="!form.isNew">
            <option value="webhook">{{ t('ops.kind.webhook') }}</option><option value="email">{{ t('ops.kind.email') }}</option></select></label>
          <template v-if="form.kind === 'webhook'">
            <label class="ops-field ops-wide">{{ t('ops.url') }}<input name="url" type="url" v-model.trim="form.url" required></label>
            <label class="ops-field">{{ t('ops.secret') }}<input name="secret" type="password" autocomplete="new-password" v-model="form.secret"
              :required="!form.secretSet" minlength="16" maxlength="256" :placeholder="form.secretSet ? t('ops.secretKeep') : ''"></label>
          </template>
          <template v-else>
            <label class="ops-field ops-wide">{{ t('ops.recipients') }}<input name="to" v-model="form.to" required :placeholder="'qualite@example.com, …'"></label>
            <label class="ops-field">{{ t('language') }}<select name="lang" v-model="form.lang">
              <option value="">{{ t('ops.lang.both') }}</option><option value="fr">{{ t('ops.lang.fr') }}</option><option value="en">{{ t('ops.lang.en') }}</option></select></label>
          </template>
          <label class="ops-field">{{ t('ops.minSeverity') }}<select name="minSeverity" v-model="form.minSeverity">
            <option value="">{{ t('all') }}</option><option v-for="s in severities" :value="s">{{ t('severity.' + s) }}</option></select></label>
      </template>
      <template #form-more>
        <p v-if="form.kind === 'webhook'" class="note">{{ t('ops.secretNote') }}</p>
      </template>
    </ops-section>`,
};
