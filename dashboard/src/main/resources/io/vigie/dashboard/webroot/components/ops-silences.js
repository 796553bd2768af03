// The silences running at a node or below it (POST / GET / DELETE /api/v1/silences): on the node or one of its
// devices, until a time, with a comment; ending one deletes it.
import { t } from '../i18n.js';
import { api, query } from '../api.js';
import { dateTime } from '../format.js';
import { findNode, devicesUnder, deviceNode } from '../hierarchy.js';
import { localInput, fromLocalInput, nodeName } from '../ops-forms.js';
import StateMessage from './state-message.js';

export default {
  name: 'OpsSilences',
  components: { StateMessage },
  props: { nodeId: { type: String, required: true }, editable: { type: Boolean, default: false } },
  data: () => ({ silences: [], loading: true, error: null, form: null, formError: null }),
  computed: {
    devices() { return devicesUnder(findNode(this.nodeId)); },
  },
  watch: { nodeId: { handler: 'load', immediate: true } },
  methods: {
    t, dateTime,
    async load() {
      this.loading = true;
      this.form = null;
      try {
        this.silences = (await api.get(`/api/v1/silences${query({ nodeId: this.nodeId })}`)).silences ?? [];
        this.error = null;
      } catch (e) {
        this.error = e;
      } finally {
        this.loading = false;
      }
    },
    add() {
      this.formError = null;
      this.form = { target: '', until: localInput(Date.now() + 2 * 3600 * 1000), comment: '' };
    },
    target(silence) {
      if (silence.devEui) return `${deviceNode(silence.devEui)?.node.name ?? silence.devEui} (${silence.devEui})`;
      return nodeName(silence.nodeId);
    },
    async save() {
      const body = { until: fromLocalInput(this.form.until), comment: this.form.comment || undefined };
      if (this.form.target) body.devEui = this.form.target;
      else body.nodeId = this.nodeId;
      try {
        await api.post('/api/v1/silences', body);
        await this.load();
      } catch (e) {
        this.formError = e.message;
      }
    },
    async end(silence) {
      try {
        await api.del(`/api/v1/silences/${encodeURIComponent(silence.id)}`);
        await this.load();
      } catch (e) {
        this.error = e;
      }
    },
  },
  template: `
    <section class="panel" aria-labelledby="ops-silences-title">
      <div class="ops-head">
        <h2 id="ops-silences-title">{{ t('ops.silences') }}</h2>
        <button v-if="editable && !form" type="button" @click="add" data-test="add-silence">{{ t('ops.addSilence') }}</button>
      </div>
      <p class="note">{{ t('ops.silencesNote') }}</p>
      <state-message v-if="error" kind="error" :text="t('loadFailed', { message: error.message })"></state-message>
      <state-message v-else-if="loading" kind="loading" :text="t('loading')"></state-message>
      <state-message v-else-if="!silences.length" kind="empty" :text="t('ops.noSilences')"></state-message>
      <div v-else class="table-scroll">
        <table class="ops-table" data-test="silences">
          <thead><tr><th>{{ t('ops.target') }}</th><th>{{ t('ops.until') }}</th><th>{{ t('ops.commentLabel') }}</th><th>{{ t('ops.by') }}</th>
            <th v-if="editable"><span class="visually-hidden">{{ t('ops.actions') }}</span></th></tr></thead>
          <tbody>
            <tr v-for="s in silences" :key="s.id" :data-silence-id="s.id">
              <td>{{ target(s) }}</td><td>{{ dateTime(s.until) }}</td><td class="ops-wrap">{{ s.comment ?? '' }}</td><td>{{ s.createdBy ?? '' }}</td>
              <td v-if="editable"><button type="button" class="secondary" @click="end(s)" :aria-label="t('ops.endSilenceOf', { target: target(s) })" data-test="end-silence">{{ t('ops.endSilence') }}</button></td>
            </tr>
          </tbody>
        </table>
      </div>
      <form v-if="form" class="ops-form" @submit.prevent="save" data-test="silence-form" :aria-label="t('ops.silenceForm')">
        <h3>{{ t('ops.addSilence') }}</h3>
        <div class="ops-grid">
          <label class="ops-field">{{ t('ops.target') }}<select name="target" v-model="form.target">
            <option value="">{{ t('ops.wholePlace', { place: target({ nodeId }) }) }}</option>
            <option v-for="d in devices" :value="d.devEui">{{ d.node.name }} ({{ d.devEui }})</option></select></label>
          <label class="ops-field">{{ t('ops.until') }}<input name="until" type="datetime-local" v-model="form.until" required></label>
          <label class="ops-field ops-wide">{{ t('ops.commentLabel') }}<input name="comment" v-model="form.comment" maxlength="1000"></label>
        </div>
        <p v-if="formError" class="state state-error" role="alert" data-test="form-error">{{ formError }}</p>
        <div class="toolbar">
          <button type="submit" data-test="save-silence">{{ t('ops.save') }}</button>
          <button type="button" class="secondary" @click="form = null">{{ t('cancel') }}</button>
        </div>
      </form>
    </section>`,
};
