// One device: create (devEui "new") or edit its name, type, place (a move) and activation. ABP session keys are
// typed in masked fields and never shown back (the API never returns them): left empty, they stay as they are.
import { api } from '../api.js';
import { t } from '../i18n.js';
import { loadHierarchy, flatNodes } from '../hierarchy.js';
import { mayManageDevices, enc } from '../admin.js';
import ConfirmDialog from '../components/confirm-dialog.js';
import StateMessage from '../components/state-message.js';

const blank = () => ({ devEui: '', name: '', nodeId: '', type: '', mode: 'ABP', devAddr: '', appSKey: '', nwkSKey: '' });

export default {
  name: 'AdminDeviceView',
  components: { ConfirmDialog, StateMessage },
  props: { devEui: { type: String, required: true } },
  data: () => ({ device: null, form: blank(), types: [], loading: true, error: null, saveError: null, saved: '', busy: false, confirmDelete: false }),
  computed: {
    creating() { return this.devEui === 'new'; },
    editable: () => mayManageDevices(),
    places: () => flatNodes(),
    keysNeeded() { return this.form.mode === 'ABP' && (this.creating || this.device?.activation?.mode !== 'ABP'); },
  },
  watch: { devEui: { handler() { this.load(); }, immediate: true } },
  methods: {
    t,
    async load() {
      Object.assign(this, { loading: true, error: null, saveError: null, saved: '', form: blank(), device: null });
      try {
        const [types, device] = await Promise.all([api.get('/api/v1/device-types'),
          this.creating ? null : api.get(`/api/v1/devices/${enc(this.devEui)}`)]);
        this.types = types.deviceTypes ?? [];
        this.device = device;
        if (device) {
          Object.assign(this.form, { devEui: device.devEui, name: device.name, nodeId: device.nodeId, type: device.type,
            mode: device.activation?.mode ?? 'ABP', devAddr: device.activation?.devAddr ?? '' });
        } else {
          const wanted = new URLSearchParams(location.hash.split('?')[1] ?? '').get('nodeId');
          Object.assign(this.form, { nodeId: wanted ?? this.places[0]?.id ?? '', type: this.types[0]?.id ?? '' });
        }
      } catch (e) {
        this.error = e.status === 404 ? t('admin.devices.notFound') : t('loadFailed', { message: e.message });
      } finally {
        this.loading = false;
      }
    },
    activation() {
      const f = this.form;
      if (f.mode !== 'ABP') return { mode: f.mode };
      return { mode: 'ABP', devAddr: f.devAddr.trim(), appSKey: f.appSKey.trim(), nwkSKey: f.nwkSKey.trim() };
    },
    async save() {
      this.busy = true;
      this.saveError = null;
      this.saved = '';
      const f = this.form;
      try {
        if (this.creating) {
          const body = { devEui: f.devEui.trim(), name: f.name.trim(), nodeId: f.nodeId, type: f.type, activation: this.activation() };
          const created = await api.post('/api/v1/devices', body);
          await loadHierarchy();
          location.hash = `#/admin/devices/${enc(created.devEui)}`;
          return;
        }
        const change = {};
        if (f.name.trim() !== this.device.name) change.name = f.name.trim();
        if (f.nodeId !== this.device.nodeId) change.nodeId = f.nodeId;
        if (f.type !== this.device.type) change.type = f.type;
        const keysTyped = f.appSKey || f.nwkSKey;
        if (f.mode !== this.device.activation?.mode || keysTyped || (f.mode === 'ABP' && f.devAddr !== this.device.activation?.devAddr)) {
          change.activation = this.activation();
        }
        if (!Object.keys(change).length) { this.saved = t('admin.unchanged'); return; }
        this.device = await api.patch(`/api/v1/devices/${enc(this.device.devEui)}`, change);
        if (change.nodeId) await loadHierarchy();
        this.saved = t('admin.devices.saved');
      } catch (e) {
        this.saveError = e.message;
      } finally {
        // typed keys are forgotten as soon as they are sent, whatever the answer
        Object.assign(this.form, { appSKey: '', nwkSKey: '' });
        this.busy = false;
      }
    },
    async remove() {
      try {
        await api.del(`/api/v1/devices/${enc(this.device.devEui)}`);
        await loadHierarchy();
        location.hash = '#/admin/devices';
      } catch (e) {
        this.saveError = e.message;
        this.confirmDelete = false;
      }
    },
  },
  template: `
    <section class="admin-device" aria-labelledby="device-title">
      <p><a href="#/admin/devices">← {{ t('admin.devices.title') }}</a></p>
      <state-message v-if="loading" kind="loading" :text="t('loading')"></state-message>
      <state-message v-else-if="error" kind="error" :text="error"></state-message>
      <template v-else>
        <div class="fridge-header">
          <h1 id="device-title">{{ creating ? t('admin.devices.new') : device.name }}</h1>
          <a v-if="!creating" :href="'#/fridge/' + encodeURIComponent(device.devEui)" data-test="fridge-link">{{ t('admin.devices.fridgePage') }}</a>
        </div>
        <state-message v-if="!types.length && creating" kind="empty" :text="t('admin.devices.noTypes')"></state-message>
        <dl v-if="!editable" class="panel facts" data-test="device-facts">
          <dt>DevEUI</dt><dd><code>{{ device.devEui }}</code></dd>
          <dt>{{ t('admin.devices.place') }}</dt><dd>{{ places.find(n => n.id === device.nodeId)?.name ?? device.nodeId }}</dd>
          <dt>{{ t('admin.devices.type') }}</dt><dd>{{ types.find(type => type.id === device.type)?.name ?? device.type }}</dd>
          <dt>{{ t('admin.devices.activation') }}</dt><dd>{{ device.activation?.mode === 'ABP' ? t('admin.devices.abp') : t('admin.devices.networkDecrypted') }}</dd>
          <template v-if="device.activation?.devAddr"><dt>DevAddr</dt><dd><code>{{ device.activation.devAddr }}</code></dd></template>
        </dl>
        <form v-else class="panel admin-form" @submit.prevent="save" data-test="device-form" autocomplete="off">
          <fieldset :disabled="busy">
            <legend class="visually-hidden">{{ t('admin.devices.title') }}</legend>
            <label for="device-eui">DevEUI</label>
            <input id="device-eui" v-model="form.devEui" :readonly="!creating" required pattern="[0-9A-Fa-f]{16}" maxlength="16" spellcheck="false" data-test="dev-eui">
            <label for="device-name">{{ t('admin.name') }}</label>
            <input id="device-name" v-model="form.name" required maxlength="200" data-test="name">
            <label for="device-node">{{ creating ? t('admin.devices.place') : t('admin.devices.placeMove') }}</label>
            <select id="device-node" v-model="form.nodeId" required data-test="node">
              <option v-for="n in places" :value="n.id">{{ '\u2003'.repeat(n.depth) + n.name }}</option>
            </select>
            <label for="device-type">{{ t('admin.devices.type') }}</label>
            <select id="device-type" v-model="form.type" required data-test="type">
              <option v-for="type in types" :value="type.id">{{ type.name }} ({{ type.id }})</option>
            </select>
            <label for="device-mode">{{ t('admin.devices.activation') }}</label>
            <select id="device-mode" v-model="form.mode" data-test="mode">
              <option value="ABP">{{ t('admin.devices.abp') }}</option>
              <option value="network-decrypted">{{ t('admin.devices.networkDecrypted') }}</option>
            </select>
            <template v-if="form.mode === 'ABP'">
              <label for="device-addr">DevAddr</label>
              <input id="device-addr" v-model="form.devAddr" :required="keysNeeded" pattern="[0-9A-Fa-f]{8}" maxlength="8" spellcheck="false" data-test="dev-addr">
              <p class="note" id="keys-help">{{ keysNeeded ? t('admin.devices.keysHelp') : t('admin.devices.keysKept') }}</p>
              <label for="device-appskey">AppSKey</label>
              <input id="device-appskey" type="password" autocomplete="off" v-model="form.appSKey" :required="keysNeeded" pattern="[0-9A-Fa-f]{32}" maxlength="32" aria-describedby="keys-help" data-test="app-s-key">
              <label for="device-nwkskey">NwkSKey</label>
              <input id="device-nwkskey" type="password" autocomplete="off" v-model="form.nwkSKey" :required="keysNeeded" pattern="[0-9A-Fa-f]{32}" maxlength="32" aria-describedby="keys-help" data-test="nwk-s-key">
            </template>
            <div class="toolbar">
              <button type="submit" data-test="save">{{ creating ? t('admin.create') : t('admin.save') }}</button>
              <button v-if="!creating" type="button" class="secondary danger-text" @click="confirmDelete = true" data-test="delete-device">{{ t('admin.delete') }}</button>
            </div>
          </fieldset>
          <p v-if="saved" class="state state-ok" role="status" data-test="done">{{ saved }}</p>
          <p v-if="saveError" class="state state-error" role="alert" data-test="error">{{ saveError }}</p>
        </form>
        <confirm-dialog v-if="confirmDelete" :title="t('admin.devices.deleteTitle', { name: device.name })" :text="t('admin.devices.deleteText', { name: device.name })"
          :action="t('admin.delete')" danger @confirm="remove" @cancel="confirmDelete = false"></confirm-dialog>
      </template>
    </section>`,
};
