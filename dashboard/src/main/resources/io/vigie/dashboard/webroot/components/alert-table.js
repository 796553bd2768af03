// A list of alerts; with actions, each open alert gets "Acknowledge" and "Clear" buttons (events ack, clear).
import { t } from '../i18n.js';
import { number, dateTime } from '../format.js';
import { deviceNode } from '../hierarchy.js';

export default {
  name: 'AlertTable',
  props: { alerts: { type: Array, required: true }, actions: { type: Boolean, default: false } },
  emits: ['ack', 'clear'],
  methods: {
    t, number, dateTime,
    fridge(alert) { return deviceNode(alert.devEui)?.node.name ?? alert.devEui; },
  },
  template: `
    <ul class="alert-list">
      <li v-for="alert in alerts" :key="alert.id" class="alert-item" :class="'severity-' + alert.severity" :data-alert-id="alert.id">
        <div class="alert-main">
          <span class="badge" :class="'badge-' + alert.severity">{{ t('severity.' + alert.severity) }}</span>
          <a :href="'#/fridge/' + alert.devEui">{{ fridge(alert) }}</a>
          <span class="alert-status" data-test="alert-status">{{ t('alertStatus.' + alert.status) }}</span>
        </div>
        <div class="alert-facts">
          <span>{{ t('rule.' + alert.kind) !== 'rule.' + alert.kind ? t('rule.' + alert.kind) : (alert.ruleId || '') }}</span>
          <span>{{ t('since') }} {{ dateTime(alert.startedAt) }}</span>
          <span v-if="alert.lastValue != null">{{ t('lastValue') }} {{ number(alert.lastValue) }}</span>
          <span v-if="alert.ackedBy">{{ t('ackedBy', { who: alert.ackedBy, when: dateTime(alert.ackedAt) }) }}</span>
          <span v-if="alert.comment" class="comment">“{{ alert.comment }}”</span>
        </div>
        <div class="alert-actions" v-if="actions && alert.status !== 'cleared'">
          <button v-if="alert.status === 'active'" type="button" @click="$emit('ack', alert)" :aria-label="t('ackAlertOf', { name: fridge(alert) })" data-test="ack">{{ t('acknowledge') }}</button>
          <button type="button" class="secondary" @click="$emit('clear', alert)" :aria-label="t('clearAlertOf', { name: fridge(alert) })" data-test="clear">{{ t('clear') }}</button>
        </div>
      </li>
    </ul>`,
};
