// The alert rules that apply at a node, each with where it is inherited from; with editing: override an inherited
// rule here, add one, edit or delete one defined here (PUT / DELETE /api/v1/alert-rules/{id}).
import { t } from '../i18n.js';
import { api } from '../api.js';
import { ruleLimit, minutes, duration, nodeName, loadInto, change } from '../ops-forms.js';
import { findNode } from '../hierarchy.js';
import { ruleTitle, capital } from '../format.js';
import OpsSection from './ops-section.js';
import OpsEditDelete from './ops-edit-delete.js';

const KINDS = ['above', 'below', 'outside', 'rate', 'battery-low', 'no-data'];
const SEVERITIES = ['critical', 'major', 'minor', 'warning'];
const enc = encodeURIComponent;

function blank(nodeId) {
  return { isNew: true, override: false, id: '', name: '', kind: 'above', measurement: 'temperature', threshold: '', min: '', max: '', perHour: '',
    forMinutes: '', clearBelow: '', clearAbove: '', severity: 'major', escalate: [], enabled: true, nodeId };
}

/** The form of a rule (an override keeps its name, so it hides the inherited one, under a new id of this node). */
function formOf(rule, nodeId, override) {
  const value = (v) => (v === undefined || v === null ? '' : v);
  return {
    isNew: override, override, id: override ? `${rule.id}.${nodeId}`.slice(0, 64) : rule.id, name: override ? (rule.name ?? rule.id) : value(rule.name),
    kind: rule.kind, measurement: value(rule.measurement), threshold: value(rule.threshold), min: value(rule.min), max: value(rule.max),
    perHour: value(rule.perHour), forMinutes: value(minutes(rule.for)), clearBelow: value(rule.clearBelow), clearAbove: value(rule.clearAbove),
    severity: rule.severity, enabled: rule.enabled !== false, nodeId, title: ruleTitle(rule),
    escalate: (rule.escalate ?? []).map(step => ({ afterMinutes: minutes(step.after), severity: step.severity })),
  };
}

function bodyOf(form) {
  const num = (v) => (v === '' || v === null ? undefined : Number(v));
  const body = { nodeId: form.nodeId, name: form.name || undefined, kind: form.kind, severity: form.severity, enabled: form.enabled,
    for: duration(form.forMinutes) ?? undefined,
    measurement: form.kind === 'no-data' ? undefined : form.measurement || undefined };
  if (form.kind === 'outside') Object.assign(body, { min: num(form.min), max: num(form.max), clearAbove: num(form.clearAbove), clearBelow: num(form.clearBelow) });
  else if (form.kind === 'rate') Object.assign(body, { perHour: num(form.perHour), clearBelow: num(form.clearBelow) });
  else if (form.kind === 'above') Object.assign(body, { threshold: num(form.threshold), clearBelow: num(form.clearBelow) });
  else if (form.kind !== 'no-data') Object.assign(body, { threshold: num(form.threshold), clearAbove: num(form.clearAbove) });
  if (form.escalate.length) body.escalate = form.escalate.map(s => ({ after: duration(s.afterMinutes), severity: s.severity }));
  return body;
}

export default {
  name: 'OpsRules',
  components: { OpsEditDelete, OpsSection },
  props: { nodeId: { type: String, required: true }, editable: { type: Boolean, default: false } },
  data: () => ({ rules: [], loading: true, error: null, form: null, formError: null, saving: false }),
  computed: { kinds: () => KINDS, severities: () => SEVERITIES },
  watch: { nodeId: { handler: 'load', immediate: true } },
  methods: {
    t, ruleLimit, nodeName, capital,
    title: rule => ruleTitle(rule),
    load() {
      this.form = null;
      return loadInto(this, async () => { this.rules = (await api.get(`/api/v1/nodes/${enc(this.nodeId)}/effective-rules`)).rules ?? []; });
    },
    local(rule) { return rule.inheritedFrom === this.nodeId; },
    from(rule) {
      if (rule.inheritedFromDeviceType) return t('ops.fromDeviceType', { type: rule.inheritedFromDeviceType });
      if (this.local(rule)) return t('ops.definedHere');
      // a place above the caller's scopes is not named: it is not theirs to see
      return findNode(rule.inheritedFrom) ? t('ops.inheritedFrom', { place: nodeName(rule.inheritedFrom) }) : t('ops.inheritedFromAbove');
    },
    add() { this.formError = null; this.form = blank(this.nodeId); },
    edit(rule, override) { this.formError = null; this.form = formOf(rule, this.nodeId, override); },
    async save() {
      this.saving = true;
      await change(this, () => api.put(`/api/v1/alert-rules/${enc(this.form.id)}`, bodyOf(this.form)));
      this.saving = false;
    },
    remove(rule) {
      if (confirm(t('ops.confirmDeleteRule', { name: ruleTitle(rule) }))) change(this, () => api.del(`/api/v1/alert-rules/${enc(rule.id)}`), 'error');
    },
  },
  template: `
    <ops-section title-id="ops-rules-title" :title="t('ops.rules')" :add-label="editable && !form ? t('ops.addRule') : null" add-test="add-rule"
      @add="add" :error="error" :loading="loading" :empty="t('ops.noRules')" :is-empty="!rules.length" :form-shown="!!form" :form-title="form ? (form.override ? t('ops.overrideTitle', { name: form.title }) : form.isNew ? t('ops.addRule') : t('ops.editRule', { name: form.title })) : ''" :form-label="t('ops.ruleForm')" form-test="rule-form" @submit="save" :form-error="formError" :submit-label="t('ops.save')" submit-test="save-rule" :busy="saving" @cancel="form = null">
      <table class="ops-table" data-test="rules">
          <thead><tr><th>{{ t('name') }}</th><th>{{ t('ops.kind') }}</th><th>{{ t('ops.limit') }}</th><th>{{ t('filter.severity') }}</th>
            <th>{{ t('ops.origin') }}</th><th v-if="editable"><span class="visually-hidden">{{ t('ops.actions') }}</span></th></tr></thead>
          <tbody>
            <tr v-for="rule in rules" :key="rule.id" :data-rule-id="rule.id" :class="{ 'ops-local': local(rule), 'ops-off': rule.enabled === false }">
              <td data-test="rule-name">{{ title(rule) }}<span v-if="rule.enabled === false" class="ops-tag">{{ t('ops.disabled') }}</span></td>
              <td>{{ capital(t('rule.' + rule.kind)) }}<span v-if="rule.measurement"> · {{ rule.measurement }}</span></td>
              <td data-test="limit">{{ ruleLimit(rule) }}</td>
              <td><span class="badge" :class="'badge-' + rule.severity">{{ t('severity.' + rule.severity) }}</span>
                <span v-for="step in rule.escalate ?? []" class="note"> → {{ t('severity.' + step.severity) }}</span></td>
              <td data-test="origin">{{ from(rule) }}</td>
              <td v-if="editable"><div class="ops-actions">
                <ops-edit-delete v-if="local(rule)" :edit-label="t('ops.editRule', { name: title(rule) })"
                  :delete-label="t('ops.deleteRule', { name: title(rule) })" @edit="edit(rule, false)" @delete="remove(rule)"></ops-edit-delete>
                <button v-else-if="!rule.inheritedFromDeviceType" type="button" class="secondary" @click="edit(rule, true)"
                  :aria-label="t('ops.overrideRule', { name: title(rule) })" data-test="override">{{ t('ops.override') }}</button>
              </div></td>
            </tr>
          </tbody>
      </table>
      <template #form>
          <label class="ops-field">{{ t('ops.ruleId') }}<input name="id" v-model.trim="form.id" :readonly="!form.isNew" required maxlength="64"></label>
          <label class="ops-field">{{ t('name') }}<input name="name" v-model.trim="form.name"></label>
          <label class="ops-field">{{ t('ops.kind') }}<select name="kind" v-model="form.kind"><option v-for="k in kinds" :value="k">{{ t('rule.' + k) }}</option></select></label>
          <label v-if="form.kind !== 'no-data'" class="ops-field">{{ t('ops.measurement') }}<input name="measurement" v-model.trim="form.measurement"></label>
          <label v-if="['above', 'below', 'battery-low'].includes(form.kind)" class="ops-field">{{ t('ops.threshold') }}<input name="threshold" type="number" step="any" v-model="form.threshold" required></label>
          <template v-if="form.kind === 'outside'">
            <label class="ops-field">{{ t('ops.min') }}<input name="min" type="number" step="any" v-model="form.min" required></label>
            <label class="ops-field">{{ t('ops.max') }}<input name="max" type="number" step="any" v-model="form.max" required></label>
          </template>
          <label v-if="form.kind === 'rate'" class="ops-field">{{ t('ops.perHourLabel') }}<input name="perHour" type="number" step="any" v-model="form.perHour" required></label>
          <label class="ops-field">{{ form.kind === 'no-data' ? t('ops.silenceMinutes') : t('ops.forLabel') }}<input name="for" type="number" min="0" v-model="form.forMinutes"></label>
          <label v-if="['above', 'outside', 'rate'].includes(form.kind)" class="ops-field">{{ t('ops.clearBelow') }}<input name="clearBelow" type="number" step="any" v-model="form.clearBelow"></label>
          <label v-if="['below', 'battery-low', 'outside'].includes(form.kind)" class="ops-field">{{ t('ops.clearAbove') }}<input name="clearAbove" type="number" step="any" v-model="form.clearAbove"></label>
          <label class="ops-field">{{ t('filter.severity') }}<select name="severity" v-model="form.severity"><option v-for="s in severities" :value="s">{{ t('severity.' + s) }}</option></select></label>
          <label class="ops-check"><input type="checkbox" name="enabled" v-model="form.enabled"> {{ t('ops.enabled') }}</label>
      </template>
      <template #form-more>
        <fieldset class="ops-steps">
          <legend>{{ t('ops.escalation') }}</legend>
          <div v-for="(step, i) in form.escalate" :key="i" class="toolbar">
            <label class="ops-field">{{ t('ops.afterMinutes') }}<input type="number" min="1" v-model="step.afterMinutes" required></label>
            <label class="ops-field">{{ t('filter.severity') }}<select v-model="step.severity"><option v-for="s in severities" :value="s">{{ t('severity.' + s) }}</option></select></label>
            <button type="button" class="secondary" @click="form.escalate.splice(i, 1)" :aria-label="t('ops.removeStep', { n: i + 1 })">×</button>
          </div>
          <button type="button" class="secondary" @click="form.escalate.push({ afterMinutes: 60, severity: 'critical' })">{{ t('ops.addStep') }}</button>
        </fieldset>
      </template>
    </ops-section>`,
};
