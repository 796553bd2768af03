// A place picked in the visible tree (a select, indented by depth); v-model is the node id.
import { flatNodes } from '../hierarchy.js';

export default {
  name: 'OpsNodePicker',
  props: { modelValue: { type: String, default: '' }, label: { type: String, required: true }, name: { type: String, default: 'node' },
    empty: { type: String, default: null } },
  emits: ['update:modelValue'],
  computed: { nodes: () => flatNodes() },
  template: `
    <label class="ops-field">{{ label }}
      <select :name="name" :value="modelValue" @change="$emit('update:modelValue', $event.target.value)">
        <option v-if="empty !== null" value="">{{ empty }}</option>
        <option v-for="n in nodes" :key="n.id" :value="n.id">{{ '\\u00a0\\u00a0'.repeat(n.depth) + n.name }}</option>
      </select>
    </label>`,
};
