// One fridge on the wall: a link to its page, with live temperature, status, last seen, battery and signal.
import { t } from '../i18n.js';
import { number, ago } from '../format.js';

export default {
  name: 'FridgeTile',
  props: { tile: { type: Object, required: true }, now: { type: Number, required: true } },
  methods: { t, number, ago },
  computed: {
    label() {
      const tile = this.tile;
      const temperature = tile.temperature ? `${number(tile.temperature.value)} °C` : t('noData');
      return `${tile.name}: ${temperature}, ${t('status.' + tile.status)}`;
    },
  },
  template: `
    <li class="tile" :class="'status-' + tile.status" :data-dev-eui="tile.devEui">
      <a :href="'#/fridge/' + tile.devEui" :aria-label="label">
        <span class="tile-name">{{ tile.name }}</span>
        <span class="tile-place">{{ tile.place }}</span>
        <span class="tile-temperature" data-test="temperature">
          <template v-if="tile.temperature">{{ number(tile.temperature.value) }}<small> °C</small></template>
          <template v-else>–</template>
        </span>
        <span class="badge" :class="'badge-' + tile.status" data-test="status">{{ t('status.' + tile.status) }}</span>
        <span class="tile-facts">
          <span data-test="seen">{{ t('seen') }} {{ ago(tile.t, now) }}</span>
          <span>{{ t('battery') }} {{ tile.battery ? number(tile.battery.value, tile.battery.unit === 'V' ? 2 : 0) + ' ' + (tile.battery.unit ?? '') : '–' }}</span>
          <span>{{ t('signal') }} {{ tile.rssi != null ? number(tile.rssi, 0) + ' dBm' : '–' }}{{ tile.snr != null ? ' · SNR ' + number(tile.snr, 1) + ' dB' : '' }}</span>
        </span>
      </a>
    </li>`,
};
