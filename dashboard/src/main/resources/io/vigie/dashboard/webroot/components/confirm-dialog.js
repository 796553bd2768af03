// A modal confirmation (native <dialog>: focus kept inside, Esc cancels) that says what the action will touch.
import { t } from '../i18n.js';

export default {
  name: 'ConfirmDialog',
  props: { title: { type: String, required: true }, text: { type: String, required: true }, action: { type: String, required: true },
    error: { type: String, default: null }, danger: { type: Boolean, default: false } },
  emits: ['confirm', 'cancel'],
  mounted() {
    this.$el.showModal();
    this.$refs.cancel.focus();
  },
  methods: { t },
  template: `
    <dialog class="dialog" aria-labelledby="confirm-title" aria-describedby="confirm-text" @cancel.prevent="$emit('cancel')" data-test="confirm-dialog">
      <form method="dialog" @submit.prevent="$emit('confirm')">
        <h2 id="confirm-title">{{ title }}</h2>
        <p id="confirm-text" data-test="confirm-text">{{ text }}</p>
        <slot></slot>
        <p v-if="error" class="state state-error" role="alert">{{ error }}</p>
        <div class="toolbar">
          <button type="submit" :class="{ danger }" data-test="confirm">{{ action }}</button>
          <button type="button" class="secondary" ref="cancel" @click="$emit('cancel')">{{ t('cancel') }}</button>
        </div>
      </form>
    </dialog>`,
};
