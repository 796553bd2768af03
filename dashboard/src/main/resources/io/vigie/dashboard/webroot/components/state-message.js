// The loading, empty and error states, one look for all views.
export default {
  name: 'StateMessage',
  props: { kind: { type: String, required: true }, text: { type: String, required: true } },
  template: `<p class="state" :class="'state-' + kind" :role="kind === 'error' ? 'alert' : 'status'" :data-state="kind">{{ text }}</p>`,
};
