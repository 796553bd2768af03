// One part of an ops page: a titled panel with an "add" button (when offered), a note, its loading, empty and
// error states; the list in the default slot (shown once loaded and not empty, scrolling sideways when too wide), and
// the form: its title, the fields of slot "form" in a grid, slot "form-more" below, the API's refusal, submit
// (event submit) and Cancel (event cancel).
import { t } from '../i18n.js';
import StateMessage from './state-message.js';
import OpsFormEnd from './ops-form-end.js';

export default {
  name: 'OpsSection',
  components: { StateMessage, OpsFormEnd },
  props: {
    titleId: { type: String, required: true }, title: { type: String, required: true }, note: { type: String, default: null },
    addLabel: { type: String, default: null }, addTest: { type: String, default: null },
    error: { type: Object, default: null }, loading: { type: Boolean, default: false }, empty: { type: String, required: true },
    isEmpty: { type: Boolean, default: false },
    formShown: { type: Boolean, default: false }, formTitle: { type: String, default: '' }, formLabel: { type: String, default: '' },
    formTest: { type: String, default: null }, formError: { type: String, default: null }, submitLabel: { type: String, default: '' },
    submitTest: { type: String, default: null }, busy: { type: Boolean, default: false },
  },
  emits: ['add', 'submit', 'cancel'],
  methods: { t },
  template: `
    <section class="panel" :aria-labelledby="titleId">
      <div class="ops-head">
        <h2 :id="titleId">{{ title }}</h2>
        <button v-if="addLabel" type="button" @click="$emit('add')" :data-test="addTest">{{ addLabel }}</button>
      </div>
      <p v-if="note" class="note">{{ note }}</p>
      <slot name="top"></slot>
      <state-message v-if="error" kind="error" :text="t('loadFailed', { message: error.message })"></state-message>
      <state-message v-else-if="loading" kind="loading" :text="t('loading')"></state-message>
      <state-message v-else-if="isEmpty" kind="empty" :text="empty"></state-message>
      <div v-else class="table-scroll"><slot></slot></div>
      <form v-if="formShown" class="ops-form" @submit.prevent="$emit('submit')" :data-test="formTest" :aria-label="formLabel">
        <h3>{{ formTitle }}</h3>
        <div class="ops-grid"><slot name="form"></slot></div>
        <slot name="form-more"></slot>
        <ops-form-end :error="formError" :label="submitLabel" :submit-test="submitTest" :busy="busy" @cancel="$emit('cancel')"></ops-form-end>
      </form>
    </section>`,
};
