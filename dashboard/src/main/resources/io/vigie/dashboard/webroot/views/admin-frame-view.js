// The LoRaWAN frame debugger (POST /api/v1/tools/lorawan/decode): a PHYPayload and session keys in, every field
// and the MIC verdict out. The keys live in this component only: never in localStorage or sessionStorage, and
// forgotten when the page is left.
import { api } from '../api.js';
import { t } from '../i18n.js';

const HEX = /^[0-9A-Fa-f]*$/;

export default {
  name: 'AdminFrameView',
  data: () => ({ phyPayload: '', nwkSKey: '', appSKey: '', fCnt: '', result: null, error: null, busy: false }),
  methods: {
    t,
    async decode() {
      Object.assign(this, { busy: true, error: null, result: null });
      const body = { phyPayload: this.phyPayload.replace(/\s+/g, ''), nwkSKey: this.nwkSKey.trim(), appSKey: this.appSKey.trim() };
      if (String(this.fCnt).trim()) body.fCnt = Number(this.fCnt);
      try {
        this.result = await api.post('/api/v1/tools/lorawan/decode', body);
      } catch (e) {
        this.error = e.message;
      } finally {
        this.busy = false;
      }
    },
    fields() {
      const r = this.result;
      return [['MType', r.mtype], ['DevAddr', r.devAddr], ['FCnt', r.fCnt], ['FPort', r.fPort ?? '—'], ['FOpts', r.fOpts || '—'],
        ['FRMPayload', r.frmPayload || '—']];
    },
  },
  template: `
    <section aria-labelledby="frame-title" class="admin-frame">
      <h1 id="frame-title">{{ t('admin.frame.title') }}</h1>
      <p class="note">{{ t('admin.frame.help') }}</p>
      <form class="panel admin-form" @submit.prevent="decode" autocomplete="off" data-test="frame-form">
        <label for="frame-phy">PHYPayload (hex)</label>
        <textarea id="frame-phy" v-model="phyPayload" rows="3" required spellcheck="false" class="code-small" data-test="phy"></textarea>
        <label for="frame-nwk">NwkSKey</label>
        <input id="frame-nwk" type="password" autocomplete="off" v-model="nwkSKey" required pattern="[0-9A-Fa-f]{32}" data-test="nwk">
        <label for="frame-app">AppSKey</label>
        <input id="frame-app" type="password" autocomplete="off" v-model="appSKey" required pattern="[0-9A-Fa-f]{32}" data-test="app">
        <label for="frame-fcnt">{{ t('admin.frame.fCnt') }}</label>
        <input id="frame-fcnt" type="number" min="0" max="4294967295" v-model="fCnt" class="narrow">
        <div class="toolbar"><button type="submit" :disabled="busy" data-test="decode">{{ t('admin.frame.decode') }}</button></div>
      </form>
      <p v-if="error" class="state state-error" role="alert" data-test="error">{{ error }}</p>
      <article v-if="result" class="panel" data-test="frame-result" aria-live="polite">
        <p class="mic" :class="result.micValid ? 'mic-ok' : 'mic-bad'" data-test="mic">
          <span class="badge" :class="result.micValid ? 'badge-ok' : 'badge-alert'">{{ result.micValid ? t('admin.frame.micValid') : t('admin.frame.micInvalid') }}</span>
          {{ result.micValid ? t('admin.frame.micValidText') : t('admin.frame.micInvalidText') }}</p>
        <dl class="facts" data-test="fields"><template v-for="[name, value] in fields()" :key="name"><dt>{{ name }}</dt><dd><code>{{ value }}</code></dd></template></dl>
      </article>
    </section>`,
};
