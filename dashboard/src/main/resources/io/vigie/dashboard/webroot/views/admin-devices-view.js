// Administration of devices: a searchable, paged list (name, DevEUI, place, type, status) and the bulk import of a
// CSV or JSON file with a result per row. Creating and editing one device is admin-device-view.js.
import { api } from '../api.js';
import { t } from '../i18n.js';
import { hierarchy, flatNodes } from '../hierarchy.js';
import { fridgeStatus } from '../status.js';
import { mayManageDevices, enc } from '../admin.js';
import StateMessage from '../components/state-message.js';

const PAGE = 20;

export default {
  name: 'AdminDevicesView',
  components: { StateMessage },
  props: { nodeId: { type: String, default: null }, now: { type: Number, required: true } },
  data: () => ({ devices: [], latest: {}, types: [], loading: true, error: null, search: '', place: '', type: '', status: '', page: 0,
    importing: false, importError: null, imported: null }),
  computed: {
    editable: () => mayManageDevices(),
    places() { return flatNodes(); },
    names() { return Object.fromEntries(this.places.map(n => [n.id, n.name])); },
    rows() {
      return this.devices.map(d => ({ ...d, place: this.names[d.nodeId] ?? d.nodeId,
        status: fridgeStatus(this.latest[d.devEui], [], this.now) }));
    },
    filtered() {
      const words = this.search.trim().toLowerCase();
      const inside = this.place ? this.subtree(this.place) : null;
      return this.rows.filter(d => (!words || `${d.name} ${d.devEui}`.toLowerCase().includes(words))
        && (!inside || inside.has(d.nodeId)) && (!this.type || d.type === this.type) && (!this.status || d.status === this.status));
    },
    pages() { return Math.max(1, Math.ceil(this.filtered.length / PAGE)); },
    shown() { return this.filtered.slice(this.page * PAGE, (this.page + 1) * PAGE); },
  },
  watch: { search() { this.page = 0; }, place() { this.page = 0; }, type() { this.page = 0; }, status() { this.page = 0; } },
  created() {
    this.place = this.nodeId ?? '';
    this.load();
  },
  methods: {
    t,
    subtree(id) {
      const ids = new Set();
      let depth = -1;
      for (const n of this.places) {
        if (n.id === id) { depth = n.depth; ids.add(n.id); } else if (depth >= 0 && n.depth > depth) ids.add(n.id); else if (depth >= 0) depth = -1;
      }
      return ids;
    },
    async load() {
      this.loading = true;
      this.error = null;
      try {
        const [devices, types, ...latest] = await Promise.all([api.get('/api/v1/devices'), api.get('/api/v1/device-types'),
          ...hierarchy.roots.map(root => api.get(`/api/v1/history/nodes/${enc(root.id)}/latest`).catch(() => ({ devices: [] })))]);
        this.devices = devices.devices ?? [];
        this.types = (types.deviceTypes ?? []).map(type => type.id);
        this.latest = Object.fromEntries(latest.flatMap(l => l.devices ?? []).map(d => [d.devEui, d.t]));
      } catch (e) {
        this.error = e.message;
      } finally {
        this.loading = false;
      }
    },
    async importFile(event) {
      const file = event.target.files[0];
      if (!file) return;
      this.importing = true;
      this.importError = null;
      this.imported = null;
      try {
        const text = await file.text();
        const csv = !/\.json$/i.test(file.name) && !text.trimStart().startsWith('[');
        this.imported = await api.text('/api/v1/devices/import', text, csv ? 'text/csv' : 'application/json');
        await this.load();
      } catch (e) {
        this.importError = e.message;
      } finally {
        this.importing = false;
        event.target.value = '';
      }
    },
  },
  template: `
    <section aria-labelledby="devices-title">
      <div class="fridge-header">
        <h1 id="devices-title">{{ t('admin.devices.title') }}</h1>
        <a v-if="editable" class="button" href="#/admin/devices/new" data-test="new-device">{{ t('admin.devices.new') }}</a>
      </div>
      <form class="toolbar" role="search" @submit.prevent>
        <label>{{ t('admin.devices.search') }}<input id="device-search" type="search" v-model="search" data-test="search" :placeholder="t('admin.devices.searchHint')"></label>
        <label>{{ t('admin.devices.place') }}<select id="device-filter-place" v-model="place" data-test="filter-place"><option value="">{{ t('admin.all') }}</option>
          <option v-for="n in places" :value="n.id">{{ '\u2003'.repeat(n.depth) + n.name }}</option></select></label>
        <label>{{ t('admin.devices.type') }}<select id="device-filter-type" v-model="type" data-test="filter-type"><option value="">{{ t('admin.all') }}</option>
          <option v-for="id in types" :value="id">{{ id }}</option></select></label>
        <label>{{ t('admin.devices.status') }}<select id="device-filter-status" v-model="status" data-test="filter-status"><option value="">{{ t('admin.all') }}</option>
          <option v-for="s in ['ok', 'silent']" :value="s">{{ t('status.' + s) }}</option></select></label>
      </form>
      <state-message v-if="loading" kind="loading" :text="t('loading')"></state-message>
      <state-message v-else-if="error" kind="error" :text="t('loadFailed', { message: error })"></state-message>
      <state-message v-else-if="!devices.length" kind="empty" :text="t('admin.devices.none')"></state-message>
      <state-message v-else-if="!filtered.length" kind="empty" :text="t('admin.devices.noMatch')"></state-message>
      <template v-else>
        <div class="table-scroll panel">
          <table class="devices" data-test="devices">
            <caption class="visually-hidden">{{ t('admin.devices.title') }}</caption>
            <thead><tr><th scope="col">{{ t('admin.name') }}</th><th scope="col">DevEUI</th><th scope="col">{{ t('admin.devices.place') }}</th>
              <th scope="col">{{ t('admin.devices.type') }}</th><th scope="col">{{ t('admin.devices.activation') }}</th><th scope="col">{{ t('admin.devices.status') }}</th></tr></thead>
            <tbody>
              <tr v-for="d in shown" :key="d.devEui" :data-dev-eui="d.devEui">
                <td><a :href="'#/admin/devices/' + encodeURIComponent(d.devEui)">{{ d.name }}</a></td>
                <td><code>{{ d.devEui }}</code></td><td>{{ d.place }}</td><td>{{ d.type }}</td><td>{{ d.activation?.mode }}</td>
                <td><span class="badge" :class="'badge-' + d.status">{{ t('status.' + d.status) }}</span></td>
              </tr>
            </tbody>
          </table>
        </div>
        <nav class="toolbar pager" :aria-label="t('admin.pages')">
          <button type="button" class="secondary" :disabled="page === 0" @click="page--">{{ t('admin.previous') }}</button>
          <span aria-live="polite" data-test="page">{{ t('admin.pageOf', { page: page + 1, pages, count: filtered.length }) }}</span>
          <button type="button" class="secondary" :disabled="page + 1 >= pages" @click="page++">{{ t('admin.next') }}</button>
        </nav>
      </template>
      <section v-if="editable" class="panel" aria-labelledby="import-title">
        <h2 id="import-title">{{ t('admin.import.title') }}</h2>
        <p class="note" id="import-help">{{ t('admin.import.help') }}</p>
        <label for="import-file">{{ t('admin.import.file') }}</label>
        <input id="import-file" type="file" accept=".csv,.json,text/csv,application/json" aria-describedby="import-help" @change="importFile" :disabled="importing" data-test="import-file">
        <state-message v-if="importing" kind="loading" :text="t('admin.import.running')"></state-message>
        <p v-if="importError" class="state state-error" role="alert">{{ importError }}</p>
        <template v-if="imported">
          <p role="status" data-test="import-summary">{{ t('admin.import.summary', imported) }}</p>
          <div class="table-scroll"><table class="import-results" data-test="import-results">
            <thead><tr><th scope="col">{{ t('admin.import.row') }}</th><th scope="col">DevEUI</th><th scope="col">{{ t('admin.import.result') }}</th></tr></thead>
            <tbody><tr v-for="r in imported.results" :key="r.row" :class="'import-' + r.status" :data-row="r.row">
              <td>{{ r.row }}</td><td><code>{{ r.devEui ?? '—' }}</code></td>
              <td :class="r.status === 'error' ? 'fate-codec-error' : 'fate-stored'">{{ t('admin.import.' + r.status) }}<span v-if="r.error">: {{ r.error }}</span></td>
            </tr></tbody>
          </table></div>
        </template>
      </section>
    </section>`,
};
