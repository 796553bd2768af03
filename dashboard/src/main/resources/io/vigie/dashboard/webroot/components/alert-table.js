// A list of alerts; with actions, each open alert gets "Acknowledge" and "Clear" buttons (events ack, clear).
import { t } from '../i18n.js';
import { valueOf, dateTime, ruleTitle } from '../format.js';
import { deviceNode } from '../hierarchy.js';

export default {
  name: 'AlertTable',
  props: { alerts: { type: Array, required: true }, actions: { type: Boolean, default: false } },
  emits: ['ack', 'clear'],
  methods: {
    t, valueOf, dateTime,
    fridge(alert) { return deviceNode(alert.devEui)?.node.name ?? alert.devEui; },
    // the rule's name when it has one, else what it watches: "Temperature above threshold", "No data"
    rule: alert => ruleTitle({ name: alert.ruleName, kind: alert.kind, measurement: alert.measurement, id: alert.ruleId }),
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
          <span class="alert-rule" data-test="alert-rule">{{ rule(alert) }}</span>
          <span>{{ t('since') }} {{ dateTime(alert.startedAt) }}</span>
          <span v-if="alert.lastValue != null">{{ t('lastValue') }} {{ valueOf(alert.lastValue, alert.measurement) }}</span>
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
