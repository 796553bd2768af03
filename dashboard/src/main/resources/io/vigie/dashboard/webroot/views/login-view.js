// The login form; the API's own message when it refuses.
import { t } from '../i18n.js';
import { login, session } from '../api.js';

export default {
  name: 'LoginView',
  data: () => ({ username: '', password: '', busy: false, error: null }),
  computed: {
    ended() { return session.ended === 'expired' ? t('sessionExpired') : session.ended === 'logout' ? t('loggedOut') : null; },
  },
  methods: {
    t,
    async submit() {
      this.busy = true;
      this.error = null;
      try {
        await login(this.username.trim(), this.password);
      } catch (e) {
        this.error = e.status === 401 ? t('badCredentials') : e.status === 0 ? t('offlineLogin') : e.message;
      } finally {
        this.busy = false;
        this.password = '';
      }
    },
  },
  template: `
    <section class="login panel" aria-labelledby="login-title">
      <h1 id="login-title">{{ t('loginTitle') }}</h1>
      <p v-if="ended" class="state state-empty" role="status">{{ ended }}</p>
      <form @submit.prevent="submit" id="login-form">
        <label for="username">{{ t('username') }}</label>
        <input id="username" name="username" v-model="username" autocomplete="username" required autofocus>
        <label for="password">{{ t('password') }}</label>
        <input id="password" name="password" type="password" v-model="password" autocomplete="current-password" required>
        <p v-if="error" class="state state-error" role="alert" data-test="login-error">{{ error }}</p>
        <button type="submit" :disabled="busy">{{ busy ? t('loggingIn') : t('login') }}</button>
      </form>
    </section>`,
};
