// A code editor without a bundler: a textarea with a line-number gutter that scrolls with it, the error line
// highlighted (errorLine, 1-based) and Tab inserting two spaces (Esc then Tab leaves the field, for the keyboard).
import { t } from '../i18n.js';

export default {
  name: 'CodeEditor',
  props: { modelValue: { type: String, default: '' }, id: { type: String, required: true }, label: { type: String, required: true },
    errorLine: { type: Number, default: 0 }, readonly: { type: Boolean, default: false } },
  emits: ['update:modelValue'],
  data: () => ({ scrollTop: 0, tabLeaves: false }),
  computed: { lines() { return Math.max(1, this.modelValue.split('\n').length); } },
  methods: {
    t,
    key(event) {
      if (event.key === 'Escape') { this.tabLeaves = true; return; }
      if (event.key !== 'Tab' || this.tabLeaves || event.shiftKey || this.readonly) { this.tabLeaves = false; return; }
      event.preventDefault();
      const area = event.target;
      const { selectionStart: start, selectionEnd: end } = area;
      this.$emit('update:modelValue', this.modelValue.slice(0, start) + '  ' + this.modelValue.slice(end));
      this.$nextTick(() => { area.selectionStart = area.selectionEnd = start + 2; });
    },
  },
  template: `
    <div class="code-editor">
      <label :for="id">{{ label }}</label>
      <div class="code-frame">
        <ol class="code-gutter" aria-hidden="true" :style="{ transform: 'translateY(' + (-scrollTop) + 'px)' }">
          <li v-for="n in lines" :key="n" :class="{ 'code-error-line': n === errorLine }">{{ n }}</li>
        </ol>
        <textarea :id="id" class="code-text" spellcheck="false" autocapitalize="off" autocomplete="off" wrap="off"
          :readonly="readonly" :value="modelValue" :aria-describedby="id + '-help'" data-test="code"
          @input="$emit('update:modelValue', $event.target.value)" @scroll="scrollTop = $event.target.scrollTop" @keydown="key"></textarea>
      </div>
      <p :id="id + '-help'" class="note">{{ errorLine ? t('admin.code.errorAt', { line: errorLine }) : t('admin.code.help') }}</p>
    </div>`,
};
