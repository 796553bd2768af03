// A modal dialog asking for an optional comment before an action (acknowledge, clear). Esc cancels.
import { t } from '../i18n.js';

export default {
  name: 'CommentDialog',
  props: { title: { type: String, required: true }, action: { type: String, required: true }, error: { type: String, default: null } },
  emits: ['confirm', 'cancel'],
  data: () => ({ comment: '' }),
  mounted() {
    this.$el.showModal();
    this.$refs.comment.focus();
  },
  methods: { t },
  template: `
    <dialog class="dialog" aria-labelledby="dialog-title" @cancel.prevent="$emit('cancel')">
      <form method="dialog" @submit.prevent="$emit('confirm', comment)">
        <h2 id="dialog-title">{{ title }}</h2>
        <label for="dialog-comment">{{ t('comment') }}</label>
        <textarea id="dialog-comment" ref="comment" v-model="comment" rows="3" maxlength="500"></textarea>
        <p v-if="error" class="state state-error" role="alert">{{ error }}</p>
        <div class="toolbar">
          <button type="submit" data-test="confirm">{{ action }}</button>
          <button type="button" class="secondary" @click="$emit('cancel')">{{ t('cancel') }}</button>
        </div>
      </form>
    </dialog>`,
};
