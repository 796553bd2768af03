// The Edit and Delete buttons of a row or card, named after what they act on (events edit, delete).
import { t } from '../i18n.js';

export default {
  name: 'OpsEditDelete',
  props: { editLabel: { type: String, required: true }, deleteLabel: { type: String, required: true } },
  emits: ['edit', 'delete'],
  methods: { t },
  template: `
    <button type="button" class="secondary" @click="$emit('edit')" :aria-label="editLabel" data-test="edit">{{ t('ops.edit') }}</button>
    <button type="button" class="secondary" @click="$emit('delete')" :aria-label="deleteLabel" data-test="delete">{{ t('ops.delete') }}</button>`,
};
