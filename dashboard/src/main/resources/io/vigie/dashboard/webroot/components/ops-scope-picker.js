// Scopes picked in the visible tree: one checkbox per node, indented by depth; v-model is the list of node ids.
import { flatNodes } from '../hierarchy.js';

export default {
  name: 'OpsScopePicker',
  props: { modelValue: { type: Array, required: true }, legend: { type: String, required: true }, name: { type: String, default: 'scopes' } },
  emits: ['update:modelValue'],
  computed: { nodes: () => flatNodes() },
  methods: {
    toggle(id, on) {
      const chosen = this.modelValue.filter(s => s !== id);
      this.$emit('update:modelValue', on ? [...chosen, id] : chosen);
    },
  },
  template: `
    <fieldset class="ops-scopes">
      <legend>{{ legend }}</legend>
      <label v-for="n in nodes" :key="n.id" :style="{ paddingLeft: n.depth + 'rem' }">
        <input type="checkbox" :name="name" :value="n.id" :checked="modelValue.includes(n.id)" @change="toggle(n.id, $event.target.checked)"> {{ n.name }}
      </label>
    </fieldset>`,
};
