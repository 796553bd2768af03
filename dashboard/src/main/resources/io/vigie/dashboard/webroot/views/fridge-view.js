// A fridge: history chart with live points and rule thresholds, CSV export, its alerts, its device and uplinks.
import { t, i18n } from '../i18n.js';
import { api, query } from '../api.js';
import { subscribe, onReconnect } from '../live.js';
import { deviceNode } from '../hierarchy.js';
import { number, dateTime, ago, measurement } from '../format.js';
import { fridgeStatus } from '../status.js';
import { thresholdsOf, RANGES, intervalFor } from '../history.js';
import HistoryChart from '../components/history-chart.js';
import StateMessage from '../components/state-message.js';
import AlertTable from '../components/alert-table.js';

const enc = encodeURIComponent;
const localInput = (ms) => new Date(ms - new Date(ms).getTimezoneOffset() * 60000).toISOString().slice(0, 16);

export default {
  name: 'FridgeView',
  components: { HistoryChart, StateMessage, AlertTable },
  props: { devEui: { type: String, required: true }, now: { type: Number, required: true } },
  data: () => ({
    device: null, deviceError: null, range: '24h', customFrom: '', customTo: '', window: null, historyAsked: 0,
    points: [], chartLoading: true, chartError: null, rules: [], rulesState: 'loading',
    alerts: {}, uplinks: [], uplinksError: null, latest: null, exporting: false, stopLive: null,
  }),
  computed: {
    ranges: () => RANGES,
    i18n: () => i18n,
    place() { return deviceNode(this.devEui); },
    name() { return this.place?.node.name ?? this.device?.name ?? this.devEui; },
    temperature() { return measurement(this.latest?.measurements, 'temperature'); },
    alertList() { return Object.values(this.alerts).filter(a => a.devEui === this.devEui).sort((a, b) => b.startedAt.localeCompare(a.startedAt)); },
    status() { return fridgeStatus(this.latest?.t, this.alertList, this.now); },
    thresholds() { return thresholdsOf(this.rules, t); },
    chartLabels() { return { avg: t('chart.avg'), min: t('chart.min'), max: t('chart.max') }; },
  },
  watch: { devEui: { handler: 'load', immediate: true } },
  unmounted() { this.stopLive?.(); },
  methods: {
    t, number, dateTime, ago,
    async load() {
      this.stopLive?.();
      const now = Date.now();
      Object.assign(this, { device: null, deviceError: null, alerts: {}, latest: null, customFrom: localInput(now - 86400000), customTo: localInput(now) });
      const stops = [subscribe(`telemetry.device.${this.devEui}`, doc => this.onMeasurement(doc)), onReconnect(() => this.refresh())];
      this.stopLive = () => stops.forEach(stop => stop());
      try {
        this.device = await api.get(`/api/v1/devices/${enc(this.devEui)}`);
      } catch (e) {
        this.deviceError = e;
        return;
      }
      stops.push(subscribe(`alerts.node.${this.device.nodeId}`, alert => { this.alerts[alert.id] = alert; }));
      this.loadRules();
      this.refresh();
    },
    refresh() {
      this.loadLatest();
      this.loadHistory();
      this.loadAlerts();
      this.loadUplinks();
    },
    select(range) {
      this.range = range;
      this.loadHistory();
    },
    currentWindow() {
      if (this.range !== 'custom') return { from: Date.now() - RANGES.find(r => r.id === this.range).ms, to: Date.now(), live: true };
      return { from: new Date(this.customFrom).getTime(), to: new Date(this.customTo).getTime(), live: false };
    },
    async loadHistory() {
      const window = this.currentWindow();
      if (!(window.from < window.to)) {
        this.chartError = { message: t('badRange') };
        return;
      }
      const asked = ++this.historyAsked;   // a number: the window object itself comes back as Vue's proxy
      this.window = window;
      this.chartLoading = true;
      this.chartError = null;
      try {
        const params = { name: 'temperature', from: new Date(window.from).toISOString(), to: new Date(window.to).toISOString(),
          interval: intervalFor(window.to - window.from), agg: 'avg,min,max' };
        const history = await api.get(`/api/v1/history/devices/${enc(this.devEui)}${query(params)}`);
        if (asked !== this.historyAsked) return;
        this.points = (history.buckets ?? []).map(b => ({ t: new Date(b.t).getTime(), avg: b.avg, min: b.min, max: b.max }));
      } catch (e) {
        // a device that never reported a temperature answers 400 naming what it has: that is "no data"
        if (e.status === 400 && /temperature/.test(e.message)) this.points = [];
        else this.chartError = e;
      } finally {
        this.chartLoading = false;
      }
    },
    /** The latest uplink, from the latest values of the fridge's node. */
    async loadLatest() {
      try {
        const answer = await api.get(`/api/v1/history/nodes/${enc(this.device.nodeId)}/latest`);
        const mine = (answer.devices ?? []).find(d => d.devEui === this.devEui);
        if (mine && (!this.latest || new Date(mine.t) >= new Date(this.latest.t))) this.latest = mine;
      } catch { /* the header shows a dash */ }
    },
    async loadRules() {
      try {
        const answer = await api.get(`/api/v1/nodes/${enc(this.device.nodeId)}/effective-rules`);
        this.rules = Array.isArray(answer) ? answer : answer.rules ?? [];
        this.rulesState = 'ok';
      } catch (e) {
        this.rules = [];
        this.rulesState = 'unavailable';
      }
    },
    async loadAlerts() {
      try {
        const answer = await api.get(`/api/v1/alerts${query({ nodeId: this.device.nodeId })}`);
        for (const alert of answer.alerts ?? []) this.alerts[alert.id] = alert;
      } catch { /* the alert list shows what came live */ }
    },
    async loadUplinks() {
      try {
        const answer = await api.get(`/api/v1/devices/${enc(this.devEui)}/uplinks?limit=20`);
        this.uplinks = answer.uplinks ?? [];
        this.uplinksError = null;
      } catch (e) {
        this.uplinksError = e;
      }
    },
    onMeasurement(doc) {
      this.latest = { t: doc.receivedAt, measurements: doc.measurements, bestRx: doc.bestRx };
      const value = measurement(doc.measurements, 'temperature');
      if (value && this.window?.live) {
        this.points = [...this.points, { t: new Date(doc.receivedAt).getTime(), avg: value.value, min: value.value, max: value.value }];
      }
      this.loadUplinks();
    },
    async exportCsv() {
      const window = this.currentWindow();
      this.exporting = true;
      try {
        const blob = await api.blob(`/api/v1/history/devices/${enc(this.devEui)}.csv${query({ name: 'temperature',
          from: new Date(window.from).toISOString(), to: new Date(window.to).toISOString() })}`);
        const link = document.createElement('a');
        link.href = URL.createObjectURL(blob);
        link.download = `${this.devEui}-temperature.csv`;
        link.click();
        setTimeout(() => URL.revokeObjectURL(link.href), 10000);
      } catch (e) {
        this.chartError = e;
      } finally {
        this.exporting = false;
      }
    },
  },
  template: `
    <article class="fridge">
      <p><a href="#/">← {{ t('backToWall') }}</a></p>
      <state-message v-if="deviceError" kind="error" :text="deviceError.status === 404 ? t('unknownFridge') : t('loadFailed', { message: deviceError.message })"></state-message>
      <template v-else>
        <header class="fridge-header">
          <div>
            <h1>{{ name }}</h1>
            <p class="tile-place" v-if="place">{{ place.place }}</p>
          </div>
          <p class="fridge-now" :class="'status-' + status">
            <span class="tile-temperature" data-test="temperature">{{ temperature ? number(temperature.value) + ' °C' : '–' }}</span>
            <span class="badge" :class="'badge-' + status" data-test="status">{{ t('status.' + status) }}</span>
            <span>{{ t('seen') }} {{ ago(latest && latest.t, now) }}</span>
          </p>
        </header>

        <section class="panel" aria-labelledby="history-title">
          <h2 id="history-title">{{ t('history') }}</h2>
          <div class="toolbar" role="group" :aria-label="t('range')">
            <button v-for="r in ranges" :key="r.id" type="button" :aria-pressed="range === r.id" @click="select(r.id)" :data-range="r.id">{{ t('range.' + r.id) }}</button>
            <button type="button" :aria-pressed="range === 'custom'" @click="range = 'custom'" data-range="custom">{{ t('range.custom') }}</button>
            <button type="button" class="secondary" @click="exportCsv" :disabled="exporting" data-test="csv">{{ t('exportCsv') }}</button>
          </div>
          <form v-if="range === 'custom'" class="toolbar" @submit.prevent="loadHistory">
            <label>{{ t('from') }} <input type="datetime-local" v-model="customFrom" required></label>
            <label>{{ t('to') }} <input type="datetime-local" v-model="customTo" required></label>
            <button type="submit">{{ t('show') }}</button>
          </form>
          <state-message v-if="chartError" kind="error" :text="t('loadFailed', { message: chartError.message })"></state-message>
          <state-message v-else-if="chartLoading && !points.length" kind="loading" :text="t('loading')"></state-message>
          <state-message v-else-if="!points.some(p => p.avg != null)" kind="empty" :text="t('noHistory')"></state-message>
          <history-chart v-if="points.length" :points="points" :thresholds="thresholds" :labels="chartLabels" :locale="i18n.lang" :title="t('chartTitle', { name })"></history-chart>
          <p class="note" v-if="rulesState === 'unavailable'">{{ t('rulesUnavailable') }}</p>
          <p class="note" v-else-if="rulesState === 'ok' && !thresholds.length">{{ t('noRules') }}</p>
        </section>

        <section class="panel" aria-labelledby="fridge-alerts-title">
          <h2 id="fridge-alerts-title">{{ t('alerts') }}</h2>
          <state-message v-if="!alertList.length" kind="empty" :text="t('noAlertsHere')"></state-message>
          <alert-table v-else :alerts="alertList"></alert-table>
        </section>

        <section class="panel" aria-labelledby="device-title" v-if="device">
          <h2 id="device-title">{{ t('device') }}</h2>
          <dl class="facts">
            <dt>DevEUI</dt><dd><code>{{ device.devEui }}</code></dd>
            <dt>{{ t('name') }}</dt><dd>{{ device.name }}</dd>
            <dt>{{ t('deviceType') }}</dt><dd>{{ device.type }}</dd>
            <dt>{{ t('activation') }}</dt><dd>{{ device.activation && device.activation.mode }}</dd>
          </dl>
          <h3>{{ t('recentUplinks') }}</h3>
          <state-message v-if="uplinksError" kind="error" :text="t('loadFailed', { message: uplinksError.message })"></state-message>
          <state-message v-else-if="!uplinks.length" kind="empty" :text="t('noUplinks')"></state-message>
          <div v-else class="table-scroll">
            <table class="uplinks">
              <thead><tr><th scope="col">{{ t('received') }}</th><th scope="col">fCnt</th><th scope="col">{{ t('source') }}</th><th scope="col">{{ t('fate') }}</th></tr></thead>
              <tbody>
                <tr v-for="u in uplinks" :key="u.id + u.status + u.receivedAt">
                  <td>{{ dateTime(u.receivedAt) }}</td><td>{{ u.fCnt }}</td><td>{{ u.source }}</td>
                  <td><span class="fate" :class="'fate-' + u.status">{{ t('fate.' + u.status) }}</span><span v-if="u.reason" class="note"> — {{ u.reason }}</span></td>
                </tr>
              </tbody>
            </table>
          </div>
        </section>
      </template>
    </article>`,
};
