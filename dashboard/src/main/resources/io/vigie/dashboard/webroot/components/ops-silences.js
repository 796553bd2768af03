// The silences running at a node or below it (POST / GET / DELETE /api/v1/silences): on the node or one of its
// devices, until a time, with a comment; ending one deletes it.
import { t } from '../i18n.js';
import { api, query } from '../api.js';
import { dateTime } from '../format.js';
import { findNode, devicesUnder, deviceNode } from '../hierarchy.js';
import { localInput, fromLocalInput, nodeName, loadInto, change } from '../ops-forms.js';
import OpsSection from './ops-section.js';

export default {
  name: 'OpsSilences',
  components: { OpsSection },
  props: { nodeId: { type: String, required: true }, editable: { type: Boolean, default: false } },
  data: () => ({ silences: [], loading: true, error: null, form: null, formError: null }),
  computed: {
    devices() { return devicesUnder(findNode(this.nodeId)); },
  },
  watch: { nodeId: { handler: 'load', immediate: true } },
  methods: {
    t, dateTime,
    load() {
      this.form = null;
      return loadInto(this, async () => { this.silences = (await api.get(`/api/v1/silences${query({ nodeId: this.nodeId })}`)).silences ?? []; });
    },
    add() {
      this.formError = null;
      this.form = { target: '', until: localInput(Date.now() + 2 * 3600 * 1000), comment: '' };
    },
    target(silence) {
      if (silence.devEui) return `${deviceNode(silence.devEui)?.node.name ?? silence.devEui} (${silence.devEui})`;
      return nodeName(silence.nodeId);
    },
    save() {
      const body = { until: fromLocalInput(this.form.until), comment: this.form.comment || undefined };
      if (this.form.target) body.devEui = this.form.target;
      else body.nodeId = this.nodeId;
      return change(this, () => api.post('/api/v1/silences', body));
    },
    end(silence) {
      return change(this, () => api.del(`/api/v1/silences/${encodeURIComponent(silence.id)}`), 'error');
    },
  },
  template: `
    <ops-section title-id="ops-silences-title" :title="t('ops.silences')" :note="t('ops.silencesNote')" @add="add"
      :add-label="editable && !form ? t('ops.addSilence') : null" add-test="add-silence"
      :error="error" :loading="loading" :empty="t('ops.noSilences')" :is-empty="!silences.length" :form-shown="!!form" :form-title="t('ops.addSilence')" :form-label="t('ops.silenceForm')" form-test="silence-form" @submit="save" :form-error="formError" :submit-label="t('ops.save')" submit-test="save-silence" @cancel="form = null">
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
      <template #form>
          <label class="ops-field">{{ t('ops.target') }}<select name="target" v-model="form.target">
            <option value="">{{ t('ops.wholePlace', { place: target({ nodeId }) }) }}</option>
            <option v-for="d in devices" :value="d.devEui">{{ d.node.name }} ({{ d.devEui }})</option></select></label>
          <label class="ops-field">{{ t('ops.until') }}<input name="until" type="datetime-local" v-model="form.until" required></label>
          <label class="ops-field ops-wide">{{ t('ops.commentLabel') }}<input name="comment" v-model="form.comment" maxlength="1000"></label>
      </template>
    </ops-section>`,
};
