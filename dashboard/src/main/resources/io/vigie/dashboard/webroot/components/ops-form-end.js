// The end of an ops form: the API's refusal (when there is one), the submit button and Cancel (event cancel).
import { t } from '../i18n.js';

export default {
  name: 'OpsFormEnd',
  props: { error: { type: String, default: null }, label: { type: String, required: true }, submitTest: { type: String, required: true },
    busy: { type: Boolean, default: false } },
  emits: ['cancel'],
  methods: { t },
  template: `
    <p v-if="error" class="state state-error" role="alert" data-test="form-error">{{ error }}</p>
    <div class="toolbar">
      <button type="submit" :disabled="busy" :data-test="submitTest">{{ label }}</button>
      <button type="button" class="secondary" @click="$emit('cancel')">{{ t('cancel') }}</button>
    </div>`,
};
