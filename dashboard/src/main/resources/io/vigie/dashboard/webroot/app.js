// The shell: hash routing, session, layout, the offline banner and the announcement of new critical alerts.
import { createApp } from 'vue';
import { session, restore, logout } from './api.js';
import { live, start, stop, subscribe } from './live.js';
import { i18n, t, languages, setLanguage, loadLanguages } from './i18n.js';
import { hierarchy, loadHierarchy, deviceNode } from './hierarchy.js';
import LoginView from './views/login-view.js';
import WallView from './views/wall-view.js';
import FridgeView from './views/fridge-view.js';
import AlertsView from './views/alerts-view.js';
import StateMessage from './components/state-message.js';
import { opsViews, opsRoute, opsPage, opsMenu } from './ops-routes.js';
// administration (docs/dashboard.md "Administration"): hierarchy, devices, device types, frame debugger
import AdminHierarchyView from './views/admin-hierarchy-view.js';
import AdminDevicesView from './views/admin-devices-view.js';
import AdminDeviceView from './views/admin-device-view.js';
import AdminTypesView from './views/admin-types-view.js';
import AdminFrameView from './views/admin-frame-view.js';
import { mayUseTools } from './admin.js';
const ADMIN_VIEWS = { AdminHierarchyView, AdminDevicesView, AdminDeviceView, AdminTypesView, AdminFrameView };

function adminRoute(parts, search) {
  if (parts[0] !== 'admin') return null;
  if (parts[1] === 'hierarchy') return { view: 'admin-hierarchy', nodeId: parts[2] ?? null };
  if (parts[1] === 'devices' && parts[2]) return { view: 'admin-device', devEui: parts[2] };
  if (parts[1] === 'devices') return { view: 'admin-devices', nodeId: new URLSearchParams(search).get('nodeId') };
  if (parts[1] === 'types') return { view: 'admin-types', typeId: parts[2] ?? null };
  if (parts[1] === 'frames') return { view: 'admin-frames' };
  return null;
}

function parse(hash) {
  const [path, search] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const admin = adminRoute(parts, search ?? '');
  if (admin) return admin;
  if (parts[0] === 'nodes' && parts[1]) return { view: 'wall', nodeId: parts[1] };
  if (parts[0] === 'fridge' && parts[1]) return { view: 'fridge', devEui: parts[1] };
  if (parts[0] === 'alerts') return { view: 'alerts' };
  if (parts[0] === 'ops') return opsRoute(parts) ?? { view: 'home' };
  return { view: 'home' };
}

const App = {
  components: { LoginView, WallView, FridgeView, AlertsView, StateMessage, ...opsViews, ...ADMIN_VIEWS },
  data: () => ({ route: parse(location.hash), menuOpen: false, now: Date.now(), announcement: '', seenAlerts: new Set(), stopAlerts: [] }),
  computed: {
    session: () => session, live: () => live, hierarchy: () => hierarchy, i18n: () => i18n, languages: () => languages,
    tools: () => !!session.token && mayUseTools(),
    notificationsAsked() { return typeof Notification === 'undefined' || Notification.permission !== 'default'; },
  },
  watch: {
    'session.token': { handler(token, before) { if (!!token !== !!before) token ? this.opened() : this.closed(); }, immediate: true },
  },
  created() {
    window.addEventListener('hashchange', () => { this.route = parse(location.hash); this.menuOpen = false; });
    setInterval(() => { this.now = Date.now(); }, 5000);
  },
  methods: {
    t, setLanguage, opsMenu, opsPage,
    async opened() {
      start();
      await loadHierarchy();
      // the server unreachable at the start: try again until it answers (or the user logs out)
      while (hierarchy.error && session.token) {
        await new Promise(resolve => setTimeout(resolve, 5000));
        if (session.token) await loadHierarchy();
      }
      if (!session.token) return;
      if (this.route.view === 'home' && hierarchy.roots.length) location.hash = `#/nodes/${encodeURIComponent(hierarchy.roots[0].id)}`;
      this.stopAlerts = hierarchy.roots.map(root => subscribe(`alerts.node.${root.id}`, (alert, meta) => this.announce(alert, meta)));
    },
    closed() {
      this.stopAlerts.forEach(s => s());
      stop();
      hierarchy.roots = [];
      hierarchy.loaded = false;
    },
    announce(alert, meta) {
      if (alert.severity !== 'critical' || alert.status !== 'active' || this.seenAlerts.has(alert.id)) return;
      this.seenAlerts.add(alert.id);
      if (meta?.snapshot) return; // already open when the page connected: listed on the alerts page, not news
      const text = t('newCritical', { name: deviceNode(alert.devEui)?.node.name ?? alert.devEui, value: alert.lastValue ?? '' });
      this.announcement = text;
      if (typeof Notification !== 'undefined' && Notification.permission === 'granted') {
        new Notification('Vigie', { body: text, tag: alert.id });
      }
    },
    askNotifications() { Notification.requestPermission().then(() => { this.now = Date.now(); }); },
    logout,
  },
  template: `
    <a class="skip" href="#main" @click.prevent="$refs.main.focus()">{{ t('skip') }}</a>
    <header class="top">
      <a class="brand" href="#/">Vigie</a>
      <!-- on a phone the menu is folded behind this button (styles.css), so that the page starts at the top -->
      <button v-if="session.token" type="button" class="menu-toggle secondary" aria-controls="menu" :aria-expanded="menuOpen ? 'true' : 'false'"
        @click="menuOpen = !menuOpen" data-test="menu-toggle">{{ t('menuButton') }}</button>
      <nav v-if="session.token" id="menu" :aria-label="t('menu')" class="menu" :class="{ open: menuOpen }">
        <a href="#/" :aria-current="route.view === 'wall' || route.view === 'home' ? 'page' : null">{{ t('wall') }}</a>
        <a href="#/alerts" :aria-current="route.view === 'alerts' ? 'page' : null">{{ t('alerts') }}</a>
        <a v-for="entry in opsMenu()" :href="entry.href" :aria-current="route.view === entry.view ? 'page' : null">{{ t(entry.key) }}</a>
        <a href="#/admin/hierarchy" :aria-current="route.view === 'admin-hierarchy' ? 'page' : null">{{ t('admin.nav.hierarchy') }}</a>
        <a href="#/admin/devices" :aria-current="route.view.startsWith('admin-device') ? 'page' : null">{{ t('admin.nav.devices') }}</a>
        <a href="#/admin/types" :aria-current="route.view === 'admin-types' ? 'page' : null">{{ t('admin.nav.types') }}</a>
        <a v-if="tools" href="#/admin/frames" :aria-current="route.view === 'admin-frames' ? 'page' : null">{{ t('admin.nav.frames') }}</a>
      </nav>
      <div class="top-tools">
        <label class="visually-hidden" for="language">{{ t('language') }}</label>
        <select id="language" :value="i18n.lang" @change="setLanguage($event.target.value)">
          <option v-for="(name, code) in languages" :value="code" :lang="code">{{ name }}</option>
        </select>
        <button v-if="session.token && !notificationsAsked" type="button" class="secondary" @click="askNotifications">{{ t('enableNotifications') }}</button>
        <span v-if="session.token" class="user" data-test="user">{{ session.user }}</span>
        <button v-if="session.token" type="button" class="secondary" @click="logout" data-test="logout">{{ t('logout') }}</button>
      </div>
    </header>
    <div class="banner" role="status" aria-live="polite" data-test="offline-banner" v-if="session.token && live.down">{{ t('offline') }}</div>
    <div class="visually-hidden" aria-live="assertive" data-test="announcer">{{ announcement }}</div>
    <p v-if="announcement" class="toast" data-test="announcement">{{ announcement }} <button type="button" class="link" @click="announcement = ''" :aria-label="t('dismiss')">×</button></p>
    <main id="main" ref="main" tabindex="-1">
      <login-view v-if="!session.token"></login-view>
      <state-message v-else-if="hierarchy.error" kind="error" :text="t('loadFailed', { message: hierarchy.error.message })"></state-message>
      <state-message v-else-if="!hierarchy.loaded" kind="loading" :text="t('loading')"></state-message>
      <state-message v-else-if="!hierarchy.roots.length" kind="empty" :text="t('noPlaces')"></state-message>
      <wall-view v-else-if="route.view === 'wall'" :node-id="route.nodeId" :now="now"></wall-view>
      <fridge-view v-else-if="route.view === 'fridge'" :dev-eui="route.devEui" :now="now"></fridge-view>
      <alerts-view v-else-if="route.view === 'alerts'"></alerts-view>
      <admin-hierarchy-view v-else-if="route.view === 'admin-hierarchy'" :node-id="route.nodeId"></admin-hierarchy-view>
      <admin-devices-view v-else-if="route.view === 'admin-devices'" :node-id="route.nodeId" :now="now"></admin-devices-view>
      <admin-device-view v-else-if="route.view === 'admin-device'" :dev-eui="route.devEui"></admin-device-view>
      <admin-types-view v-else-if="route.view === 'admin-types'" :type-id="route.typeId"></admin-types-view>
      <admin-frame-view v-else-if="route.view === 'admin-frames' && tools"></admin-frame-view>
      <component v-else-if="route.view.startsWith('ops-')" :is="opsPage(route).is" v-bind="opsPage(route).props" :key="route.view"></component>
      <wall-view v-else :node-id="hierarchy.roots[0].id" :now="now"></wall-view>
    </main>`,
};

restore();
await loadLanguages();
createApp(App).mount('#app');
