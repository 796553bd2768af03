// Alerting at a node (#/ops/alerting/<nodeId>): its effective rules, its notification channels, its silences.
// Operators and admins edit; everyone else reads.
import { t } from '../i18n.js';
import { session } from '../api.js';
import { findNode } from '../hierarchy.js';
import { canOperate } from '../ops-forms.js';
import OpsNodePicker from '../components/ops-node-picker.js';
import OpsRules from '../components/ops-rules.js';
import OpsChannels from '../components/ops-channels.js';
import OpsSilences from '../components/ops-silences.js';
import StateMessage from '../components/state-message.js';

export default {
  name: 'OpsAlertingView',
  components: { OpsNodePicker, OpsRules, OpsChannels, OpsSilences, StateMessage },
  props: { nodeId: { type: String, required: true } },
  computed: {
    node() { return findNode(this.nodeId); },
    editable: () => canOperate(session.role),
  },
  methods: {
    t,
    pick(id) { location.hash = `#/ops/alerting/${encodeURIComponent(id)}`; },
  },
  template: `
    <section aria-labelledby="ops-alerting-title" class="ops">
      <h1 id="ops-alerting-title">{{ t('ops.alerting') }}<span v-if="node"> — {{ node.name }}</span></h1>
      <form class="toolbar" @submit.prevent :aria-label="t('ops.placeChoice')">
        <ops-node-picker :model-value="node ? nodeId : ''" @update:model-value="pick" :label="t('filter.place')" :empty="node ? null : '—'"></ops-node-picker>
      </form>
      <state-message v-if="!node" kind="error" :text="t('unknownPlace')"></state-message>
      <template v-else>
        <ops-rules :node-id="nodeId" :editable="editable"></ops-rules>
        <ops-channels :node-id="nodeId" :editable="editable"></ops-channels>
        <ops-silences :node-id="nodeId" :editable="editable"></ops-silences>
      </template>
    </section>`,
};
