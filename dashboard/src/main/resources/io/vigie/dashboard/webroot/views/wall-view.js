// The wall: the visible tree, and a tile per fridge below the chosen node, kept live.
import { t } from '../i18n.js';
import { api, query } from '../api.js';
import { subscribe, onReconnect } from '../live.js';
import { hierarchy, findNode, devicesUnder } from '../hierarchy.js';
import { measurement } from '../format.js';
import { fridgeStatus } from '../status.js';
import FridgeTile from '../components/fridge-tile.js';
import NodeTree from '../components/node-tree.js';
import StateMessage from '../components/state-message.js';

const time = (iso) => (iso ? new Date(iso).getTime() : 0);

export default {
  name: 'WallView',
  components: { FridgeTile, NodeTree, StateMessage },
  props: { nodeId: { type: String, required: true }, now: { type: Number, required: true } },
  data: () => ({ latest: {}, alerts: {}, loading: true, error: null, stopLive: null, wide: matchMedia('(min-width: 801px)').matches }),
  computed: {
    hierarchy: () => hierarchy,
    node() { return findNode(this.nodeId); },
    tiles() {
      return devicesUnder(this.node).map(({ devEui, node, place }) => {
        const last = this.latest[devEui];
        const alerts = Object.values(this.alerts).filter(a => a.devEui === devEui);
        return {
          devEui, name: node.name, place, t: last?.t,
          temperature: measurement(last?.measurements, 'temperature'),
          battery: measurement(last?.measurements, 'battery'),
          rssi: last?.bestRx?.rssi, snr: last?.bestRx?.snr,
          status: fridgeStatus(last?.t, alerts, this.now),
        };
      });
    },
    summary() {
      const counts = {};
      for (const tile of this.tiles) counts[tile.status] = (counts[tile.status] ?? 0) + 1;
      return ['alert', 'warning', 'silent', 'ok'].filter(s => counts[s]).map(s => `${counts[s]} ${t('status.' + s)}`).join(' · ');
    },
  },
  watch: { nodeId: { handler: 'load', immediate: true } },
  mounted() {
    // the tree is open beside the tiles on a wide screen, folded above them on a phone
    this.media = matchMedia('(min-width: 801px)');
    this.onMedia = () => { this.wide = this.media.matches; };
    this.media.addEventListener('change', this.onMedia);
  },
  unmounted() {
    this.stopLive?.();
    this.media.removeEventListener('change', this.onMedia);
  },
  methods: {
    t,
    async load() {
      this.stopLive?.();
      Object.assign(this, { latest: {}, alerts: {}, error: null, loading: true });
      const id = this.nodeId;
      const stops = [
        subscribe(`telemetry.node.${id}`, doc => this.onMeasurement(doc)),
        subscribe(`alerts.node.${id}`, alert => { this.alerts[alert.id] = alert; }),
        onReconnect(() => this.fetch()),
      ];
      this.stopLive = () => stops.forEach(stop => stop());
      await this.fetch();
    },
    /** The latest values and open alerts (again after a reconnection: what was missed meanwhile). */
    async fetch() {
      const id = this.nodeId;
      try {
        const [latest, alerts] = await Promise.all([
          api.get(`/api/v1/history/nodes/${encodeURIComponent(id)}/latest`),
          api.get(`/api/v1/alerts${query({ nodeId: id })}`).catch(() => ({ alerts: [] })),
        ]);
        if (id !== this.nodeId) return;
        for (const device of latest.devices ?? []) this.keepNewest(device);
        for (const alert of alerts.alerts ?? []) this.alerts[alert.id] = alert;
        this.error = null;
      } catch (e) {
        if (id === this.nodeId) this.error = e;
      } finally {
        if (id === this.nodeId) this.loading = false;
      }
    },
    onMeasurement(doc) {
      this.keepNewest({ devEui: doc.devEui, t: doc.receivedAt, measurements: doc.measurements, bestRx: doc.bestRx });
    },
    keepNewest(device) {
      const known = this.latest[device.devEui];
      if (!known || time(device.t) >= time(known.t)) this.latest[device.devEui] = device;
    },
  },
  template: `
    <div class="wall">
      <details class="panel tree-panel" :open="wide">
        <summary>{{ t('places') }}</summary>
        <nav :aria-label="t('places')">
          <node-tree :nodes="hierarchy.roots" :current="nodeId"></node-tree>
        </nav>
      </details>
      <section class="tiles-section" aria-labelledby="wall-title">
        <h1 id="wall-title">{{ node ? node.name : t('wall') }}</h1>
        <state-message v-if="!node" kind="error" :text="t('unknownPlace')"></state-message>
        <template v-else>
          <p class="summary" v-if="tiles.length">{{ summary }}</p>
          <state-message v-if="error" kind="error" :text="t('loadFailed', { message: error.message })"></state-message>
          <state-message v-if="loading" kind="loading" :text="t('loading')"></state-message>
          <state-message v-else-if="!tiles.length" kind="empty" :text="t('noFridge')"></state-message>
          <ul class="tiles" :aria-label="t('fridges')">
            <fridge-tile v-for="tile in tiles" :key="tile.devEui" :tile="tile" :now="now"></fridge-tile>
          </ul>
        </template>
      </section>
    </div>`,
};
