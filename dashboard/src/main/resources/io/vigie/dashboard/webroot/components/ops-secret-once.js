// A secret shown once (a new partner client's): the value, a copy button, and a clear warning. Event: done.
import { t } from '../i18n.js';

export default {
  name: 'OpsSecretOnce',
  props: { id: { type: String, required: true }, secret: { type: String, required: true } },
  emits: ['done'],
  data: () => ({ copied: false }),
  mounted() { this.$refs.value.focus(); },
  methods: {
    t,
    async copy() {
      try {
        await navigator.clipboard.writeText(this.secret);
      } catch {
        this.$refs.value.select();
        document.execCommand('copy');
      }
      this.copied = true;
    },
  },
  template: `
    <div class="panel ops-secret" role="alert" data-test="client-secret-panel">
      <h3>{{ t('ops.secretTitle', { id }) }}</h3>
      <p><strong>{{ t('ops.secretOnce') }}</strong></p>
      <label class="ops-field">{{ t('ops.clientSecret') }}
        <input ref="value" readonly :value="secret" data-test="client-secret" @focus="$event.target.select()">
      </label>
      <div class="toolbar">
        <button type="button" @click="copy" data-test="copy-secret">{{ copied ? t('ops.copied') : t('ops.copy') }}</button>
        <button type="button" class="secondary" @click="$emit('done')">{{ t('ops.secretDone') }}</button>
      </div>
    </div>`,
};
