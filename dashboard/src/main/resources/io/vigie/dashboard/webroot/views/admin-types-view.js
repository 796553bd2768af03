// Device types and their codecs: Cayenne LPP, none, or a JavaScript codec edited with line numbers and the error
// line marked; tried on a payload in place (POST /api/v1/tools/decode: the codec's raw output next to the
// standardised measurements); its examples are run by the registry before the type is saved (activated).
import { api } from '../api.js';
import { t } from '../i18n.js';
import { mayManageTypes, mayUseTools, errorLine, enc } from '../admin.js';
import CodeEditor from '../components/code-editor.js';
import StateMessage from '../components/state-message.js';

const SAMPLE = `// input: { fPort, bytes: [..] }; return { data: { temperature: … } }
function decodeUplink(input) {
  var b = input.bytes;
  var raw = (b[2] << 8) | b[3];
  if (raw > 32767) raw -= 65536;
  return { data: { temperature: raw / 10 } };
}
`;
const blank = () => ({ id: '', name: '', kind: 'javascript', script: SAMPLE, examples: '', measurements: '' });
const pretty = value => (value === undefined || value === null ? '' : JSON.stringify(value, null, 2));

export default {
  name: 'AdminTypesView',
  components: { CodeEditor, StateMessage },
  props: { typeId: { type: String, default: null } },
  data: () => ({ types: [], loading: true, error: null, form: blank(), fPort: 1, payload: '0167002a', trial: null, trialError: null,
    trying: false, saving: false, saved: '', savedId: null, saveError: null, verdicts: null }),
  computed: {
    editable: () => mayManageTypes(),
    tools: () => mayUseTools(),
    creating() { return this.typeId === 'new'; },
    selected() { return this.types.find(type => type.id === this.typeId) ?? null; },
    line() { return errorLine(this.trial?.errors ?? (this.saveError ? [this.saveError] : [])); },
    rawOutput() { return pretty(this.trial?.data); },
  },
  watch: {
    // the message of a save stays on the type it created
    typeId(id) { const kept = id === this.savedId ? this.saved : ''; this.pick(); this.saved = kept; },
  },
  async created() {
    await this.load();
    this.pick();
  },
  methods: {
    t,
    async load() {
      this.loading = true;
      this.error = null;
      try {
        this.types = (await api.get('/api/v1/device-types')).deviceTypes ?? [];
      } catch (e) {
        this.error = e.message;
      } finally {
        this.loading = false;
      }
    },
    pick() {
      Object.assign(this, { trial: null, trialError: null, saved: '', saveError: null, verdicts: null });
      const type = this.selected;
      this.form = type ? { id: type.id, name: type.name, kind: type.codec?.kind ?? 'none', script: type.codec?.script ?? '',
        examples: pretty(type.codec?.examples), measurements: pretty(type.measurements) } : blank();
    },
    json(text, what) {
      if (!text.trim()) return undefined;
      try { return JSON.parse(text); } catch (e) { throw new Error(t('admin.types.badJson', { what, message: e.message })); }
    },
    codec() {
      const codec = { kind: this.form.kind };
      if (this.form.kind === 'javascript') {
        codec.script = this.form.script;
        const examples = this.json(this.form.examples, t('admin.types.examples'));
        if (examples) codec.examples = examples;
      }
      return codec;
    },
    async trySample() {
      this.trying = true;
      this.trialError = null;
      this.trial = null;
      try {
        const codec = { kind: this.form.kind };
        if (codec.kind === 'javascript') codec.script = this.form.script;
        this.trial = await api.post('/api/v1/tools/decode', { codec, fPort: Number(this.fPort), payloadHex: this.payload.replace(/\s+/g, '') });
      } catch (e) {
        this.trialError = e.message;
      } finally {
        this.trying = false;
      }
    },
    async save() {
      this.saving = true;
      Object.assign(this, { saveError: null, saved: '', verdicts: null });
      try {
        const body = { name: this.form.name.trim(), codec: this.codec() };
        const measurements = this.json(this.form.measurements, t('admin.types.measurements'));
        if (measurements) body.measurements = measurements;
        const id = this.form.id.trim();
        await api.put(`/api/v1/device-types/${enc(id)}`, body);
        await this.load();
        this.saved = t('admin.types.saved', { name: body.name });
        this.savedId = id;
        if (this.creating) location.hash = `#/admin/types/${enc(id)}`;
      } catch (e) {
        this.saveError = e.message;
        this.verdicts = e.body?.results ?? null;
      } finally {
        this.saving = false;
      }
    },
  },
  template: `
    <section class="admin-split" aria-labelledby="types-title">
      <nav class="panel" :aria-label="t('admin.types.title')">
        <h1 id="types-title">{{ t('admin.types.title') }}</h1>
        <state-message v-if="loading" kind="loading" :text="t('loading')"></state-message>
        <state-message v-else-if="error" kind="error" :text="t('loadFailed', { message: error })"></state-message>
        <state-message v-else-if="!types.length" kind="empty" :text="t('admin.types.none')"></state-message>
        <ul class="link-list" data-test="types">
          <li v-for="type in types" :key="type.id"><a :href="'#/admin/types/' + encodeURIComponent(type.id)" :aria-current="type.id === typeId ? 'page' : null">{{ type.name }}</a>
            <small class="note">{{ t('admin.codec.' + (type.codec?.kind ?? 'none')) }}</small></li>
        </ul>
        <a v-if="editable" class="button" href="#/admin/types/new" data-test="new-type">{{ t('admin.types.new') }}</a>
      </nav>
      <div>
        <state-message v-if="!creating && !selected && !loading && typeId" kind="error" :text="t('admin.types.notFound')"></state-message>
        <state-message v-else-if="!creating && !selected && !loading" kind="empty" :text="t('admin.types.pick')"></state-message>
        <div v-else-if="!loading" class="admin-work">
        <form class="panel admin-form" @submit.prevent="save" data-test="type-form">
          <h2>{{ creating ? t('admin.types.new') : form.name }}</h2>
          <dl v-if="!editable" class="facts" data-test="type-facts">
            <dt>{{ t('admin.id') }}</dt><dd><code>{{ form.id }}</code></dd><dt>{{ t('admin.types.codec') }}</dt><dd>{{ t('admin.codec.' + form.kind) }}</dd>
          </dl>
          <fieldset v-else :disabled="saving">
            <legend class="visually-hidden">{{ t('admin.types.title') }}</legend>
            <label for="type-id">{{ t('admin.id') }}</label>
            <input id="type-id" v-model="form.id" :readonly="!creating" required pattern="[A-Za-z0-9._\\-]{1,64}" data-test="type-id">
            <label for="type-name">{{ t('admin.name') }}</label>
            <input id="type-name" v-model="form.name" required maxlength="200" data-test="type-name">
            <label for="type-codec">{{ t('admin.types.codec') }}</label>
            <select id="type-codec" v-model="form.kind" data-test="codec-kind">
              <option v-for="k in ['javascript', 'cayenne-lpp', 'none']" :value="k">{{ t('admin.codec.' + k) }}</option>
            </select>
          </fieldset>
          <template v-if="form.kind === 'javascript'">
            <code-editor id="type-script" :label="t('admin.types.script')" v-model="form.script" :error-line="line" :readonly="!editable"></code-editor>
            <template v-if="editable">
              <label for="type-examples">{{ t('admin.types.examples') }}</label>
              <textarea id="type-examples" class="code-small" v-model="form.examples" rows="4" spellcheck="false" aria-describedby="examples-help" data-test="examples"></textarea>
              <p id="examples-help" class="note">{{ t('admin.types.examplesHelp') }}</p>
            </template>
            <template v-else-if="form.examples"><h3>{{ t('admin.types.examples') }}</h3><pre class="code-out">{{ form.examples }}</pre></template>
          </template>
          <template v-if="editable">
            <label for="type-measurements">{{ t('admin.types.measurements') }}</label>
            <textarea id="type-measurements" class="code-small" v-model="form.measurements" rows="2" spellcheck="false" aria-describedby="measurements-help"></textarea>
            <p id="measurements-help" class="note">{{ t('admin.types.measurementsHelp') }}</p>
          </template>
          <template v-else-if="form.measurements"><h3>{{ t('admin.types.measurements') }}</h3><pre class="code-out">{{ form.measurements }}</pre></template>
          <div v-if="editable" class="toolbar"><button type="submit" :disabled="saving" data-test="save-type">{{ t('admin.types.saveActivate') }}</button></div>
          <p v-if="saved" class="state state-ok" role="status" data-test="done">{{ saved }}</p>
          <p v-if="saveError" class="state state-error" role="alert" data-test="error">{{ saveError }}</p>
          <ul v-if="verdicts" class="link-list" data-test="verdicts">
            <li v-for="(v, i) in verdicts" :key="i" :class="v.passed ? 'fate-stored' : 'fate-codec-error'">{{ t('admin.types.example', { n: i + 1 }) }}<span v-if="v.description"> ({{ v.description }})</span>: {{ v.passed ? t('admin.types.passed') : t('admin.types.failed') }} {{ v.error ?? v.message ?? '' }}
              <code v-if="!v.passed && v.expected" class="note">{{ t('admin.types.expectedGot', { expected: JSON.stringify(v.expected), actual: JSON.stringify(v.actual ?? {}) }) }}</code></li>
          </ul>
        </form>
        <section v-if="tools && form.kind !== 'none' && (creating || selected)" class="panel" aria-labelledby="try-title" data-test="playground">
          <h2 id="try-title">{{ t('admin.types.try') }}</h2>
          <form class="toolbar" @submit.prevent="trySample">
            <label>FPort<input id="try-fport" type="number" min="1" max="223" v-model="fPort" class="narrow" data-test="fport"></label>
            <label>{{ t('admin.types.payload') }}<input id="try-payload" v-model="payload" spellcheck="false" autocomplete="off" pattern="[0-9A-Fa-f\\s]*" data-test="payload"></label>
            <button type="submit" :disabled="trying" data-test="try">{{ t('admin.types.tryButton') }}</button>
          </form>
          <p v-if="trialError" class="state state-error" role="alert">{{ trialError }}</p>
          <template v-if="trial">
            <ul v-if="trial.errors.length" class="state state-error" role="alert" data-test="trial-errors"><li v-for="e in trial.errors">{{ e }}</li></ul>
            <ul v-if="trial.warnings.length" class="state state-empty"><li v-for="w in trial.warnings">{{ w }}</li></ul>
            <div class="admin-two">
              <div><h3>{{ t('admin.types.raw') }}</h3><pre class="code-out" data-test="raw">{{ rawOutput }}</pre></div>
              <div><h3>{{ t('admin.types.standard') }}</h3>
                <state-message v-if="!trial.measurements.length" kind="empty" :text="t('admin.types.noMeasurement')"></state-message>
                <table v-else data-test="measurements"><thead><tr><th scope="col">{{ t('admin.name') }}</th><th scope="col">{{ t('admin.types.value') }}</th><th scope="col">{{ t('admin.types.unit') }}</th><th scope="col">{{ t('admin.types.channel') }}</th></tr></thead>
                  <tbody><tr v-for="m in trial.measurements"><td>{{ m.name }}</td><td>{{ m.value }}</td><td>{{ m.unit }}</td><td>{{ m.channel ?? '—' }}</td></tr></tbody></table>
              </div>
            </div>
          </template>
        </section>
        </div>
      </div>
    </section>`,
};
