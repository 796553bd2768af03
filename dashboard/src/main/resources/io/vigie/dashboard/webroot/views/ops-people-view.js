// People and rights: users and partner clients (#/ops/people), what one user can see (#/ops/people/user/<name>),
// and who can see a place (#/ops/access/<nodeId>). Admins manage; the API answers only whom the caller covers.
import { t } from '../i18n.js';
import { api, session } from '../api.js';
import { dateTime } from '../format.js';
import { hierarchy, findNode, devicesUnder } from '../hierarchy.js';
import { nodeName, visiblePath, loadInto, change } from '../ops-forms.js';
import OpsNodePicker from '../components/ops-node-picker.js';
import OpsScopePicker from '../components/ops-scope-picker.js';
import OpsSecretOnce from '../components/ops-secret-once.js';
import OpsSection from '../components/ops-section.js';
import OpsEditDelete from '../components/ops-edit-delete.js';
import NodeTree from '../components/node-tree.js';
import StateMessage from '../components/state-message.js';

const ROLES = ['admin', 'operator', 'viewer', 'partner'];
const enc = encodeURIComponent;

export default {
  name: 'OpsPeopleView',
  components: { OpsEditDelete, OpsNodePicker, OpsScopePicker, OpsSecretOnce, OpsSection, NodeTree, StateMessage },
  props: { page: { type: String, default: 'list' }, target: { type: String, default: null } },
  data: () => ({ users: [], clients: [], loading: true, error: null, userForm: null, clientForm: null, formError: null, secret: null }),
  computed: {
    session: () => session, hierarchy: () => hierarchy,
    admin: () => session.role === 'admin',
    roles: () => ROLES,
    user() { return this.users.find(u => u.username === this.target) ?? null; },
    node() { return this.page === 'access' ? findNode(this.target) : null; },
    /** Users and clients with a scope on the node's path (the node or one above it): who can see it, with which role. */
    access() {
      if (!this.node) return [];
      const path = visiblePath(hierarchy.roots, this.node.id);
      const via = (scopes) => (scopes ?? []).filter(s => path.includes(s));
      return [...this.users.map(u => ({ kind: 'user', id: u.username, role: u.role, via: via(u.scopes) })),
        ...this.clients.map(c => ({ kind: 'client', id: c.client_id, name: c.name, role: c.role, via: via(c.scopes) }))]
        .filter(p => p.via.length);
    },
    seen() { return (this.user?.scopes ?? []).map(id => findNode(id)).filter(Boolean); },
  },
  watch: { page: { handler: 'load', immediate: true } },
  methods: {
    t, dateTime, nodeName,
    scopesText(scopes) { return (scopes ?? []).map(nodeName).join(', '); },
    deviceCount(node) { return devicesUnder(node).length; },
    load() {
      return loadInto(this, async () => {
        const [users, clients] = await Promise.all([api.get('/api/v1/users'),
          this.admin ? api.get('/api/v1/clients') : Promise.resolve({ clients: [] })]);
        this.users = users.users ?? [];
        this.clients = clients.clients ?? [];
        this.userForm = null;
        this.clientForm = null;
      });
    },
    newUser() { this.formError = null; this.userForm = { isNew: true, username: '', password: '', role: 'viewer', scopes: [] }; },
    editUser(u) { this.formError = null; this.userForm = { isNew: false, username: u.username, password: '', role: u.role, scopes: [...u.scopes] }; },
    saveUser() {
      const f = this.userForm;
      return change(this, () => (f.isNew
        ? api.post('/api/v1/users', { username: f.username, password: f.password, role: f.role, scopes: f.scopes })
        : api.patch(`/api/v1/users/${enc(f.username)}`, { role: f.role, scopes: f.scopes, password: f.password || undefined })));
    },
    removeUser(u) {
      if (confirm(t('ops.confirmDeleteUser', { name: u.username }))) change(this, () => api.del(`/api/v1/users/${enc(u.username)}`), 'error');
    },
    newClient() { this.formError = null; this.clientForm = { name: '', scopes: [] }; },
    /** Creates a client like {@code model}; its secret is kept here until dismissed, never stored. */
    async createClient(model) {
      const created = await api.post('/api/v1/clients', { name: model.name, role: model.role ?? 'partner', scopes: model.scopes });
      this.secret = { id: created.client_id, value: created.client_secret };
    },
    saveClient() { return change(this, () => this.createClient(this.clientForm)); },
    /** A new secret: there is no rotation route, so a new client with the same name and scopes replaces this one. */
    replaceClient(c) {
      if (!confirm(t('ops.confirmReplaceClient', { name: c.name ?? c.client_id }))) return;
      change(this, async () => {
        await this.createClient(c);
        await api.del(`/api/v1/clients/${enc(c.client_id)}`);
      }, 'error');
    },
    removeClient(c) {
      if (confirm(t('ops.confirmDeleteClient', { name: c.name ?? c.client_id }))) change(this, () => api.del(`/api/v1/clients/${enc(c.client_id)}`), 'error');
    },
    pick(id) { location.hash = `#/ops/access/${enc(id)}`; },
  },
  template: `
    <section aria-labelledby="ops-people-title" class="ops">
      <h1 id="ops-people-title">{{ t('ops.people') }}</h1>
      <nav class="ops-tabs" :aria-label="t('ops.people')">
        <a href="#/ops/people" :aria-current="page === 'list' ? 'page' : null">{{ t('ops.usersAndClients') }}</a>
        <a :href="'#/ops/access/' + encodeURIComponent(hierarchy.roots[0]?.id ?? '')" :aria-current="page === 'access' ? 'page' : null">{{ t('ops.whoSees') }}</a>
      </nav>
      <state-message v-if="error" kind="error" :text="t('loadFailed', { message: error.message })"></state-message>
      <state-message v-else-if="loading" kind="loading" :text="t('loading')"></state-message>

      <template v-else-if="page === 'user'">
        <state-message v-if="!user" kind="error" :text="t('ops.unknownUser')"></state-message>
        <div v-else class="panel" data-test="user-page">
          <h2>{{ user.username }}</h2>
          <dl class="facts">
            <dt>{{ t('ops.role') }}</dt><dd>{{ t('ops.role.' + user.role) }}</dd>
            <dt>{{ t('ops.scopes') }}</dt><dd>{{ scopesText(user.scopes) }}</dd>
          </dl>
          <h3>{{ t('ops.whatTheySee') }}</h3>
          <state-message v-if="!seen.length" kind="empty" :text="t('ops.seesNothingYouSee')"></state-message>
          <div v-for="node in seen" :key="node.id" class="ops-seen">
            <p>{{ t('ops.subtreeOf', { place: node.name, n: deviceCount(node) }) }}</p>
            <node-tree :nodes="[node]"></node-tree>
          </div>
        </div>
      </template>

      <template v-else-if="page === 'access'">
        <form class="toolbar" @submit.prevent :aria-label="t('ops.placeChoice')">
          <ops-node-picker :model-value="node ? target : ''" @update:model-value="pick" :label="t('filter.place')" :empty="node ? null : '—'"></ops-node-picker>
        </form>
        <state-message v-if="!node" kind="error" :text="t('unknownPlace')"></state-message>
        <state-message v-else-if="!access.length" kind="empty" :text="t('ops.nobodyYouManage')"></state-message>
        <div v-else class="table-scroll panel">
          <table class="ops-table" data-test="access">
            <thead><tr><th>{{ t('ops.who') }}</th><th>{{ t('ops.role') }}</th><th>{{ t('ops.through') }}</th></tr></thead>
            <tbody>
              <tr v-for="p in access" :key="p.kind + p.id">
                <td><a v-if="p.kind === 'user'" :href="'#/ops/people/user/' + encodeURIComponent(p.id)">{{ p.id }}</a>
                  <span v-else>{{ p.name }} <span class="note">({{ t('ops.client') }} {{ p.id }})</span></span></td>
                <td>{{ t('ops.role.' + p.role) }}</td><td>{{ scopesText(p.via) }}</td>
              </tr>
            </tbody>
          </table>
        </div>
      </template>

      <template v-else>
        <ops-section title-id="ops-users-title" :title="t('ops.users')" :add-label="admin && !userForm ? t('ops.addUser') : null" add-test="add-user"
          @add="newUser" :empty="t('ops.noUsers')" :is-empty="!users.length" :form-shown="!!userForm" :form-title="userForm ? (userForm.isNew ? t('ops.addUser') : t('ops.editUser', { name: userForm.username })) : ''" :form-label="t('ops.userForm')" form-test="user-form" @submit="saveUser" :form-error="formError" :submit-label="t('ops.save')" submit-test="save-user" @cancel="userForm = null">
              <table class="ops-table" data-test="users">
              <thead><tr><th>{{ t('username') }}</th><th>{{ t('ops.role') }}</th><th>{{ t('ops.scopes') }}</th><th v-if="admin"><span class="visually-hidden">{{ t('ops.actions') }}</span></th></tr></thead>
              <tbody>
                <tr v-for="u in users" :key="u.username" :data-username="u.username">
                  <td><a :href="'#/ops/people/user/' + encodeURIComponent(u.username)">{{ u.username }}</a></td>
                  <td>{{ t('ops.role.' + u.role) }}</td><td class="ops-wrap">{{ scopesText(u.scopes) }}</td>
                  <td v-if="admin"><div v-if="u.username !== session.user" class="ops-actions"><ops-edit-delete @edit="editUser(u)" @delete="removeUser(u)"
                    :edit-label="t('ops.editUser', { name: u.username })" :delete-label="t('ops.deleteUser', { name: u.username })"></ops-edit-delete></div></td>
                </tr>
              </tbody>
            </table>
          <template #form>
              <label class="ops-field">{{ t('username') }}<input name="username" v-model.trim="userForm.username" :readonly="!userForm.isNew" required autocomplete="off"></label>
              <label class="ops-field">{{ userForm.isNew ? t('password') : t('ops.newPassword') }}<input name="password" type="password" autocomplete="new-password" v-model="userForm.password" :required="userForm.isNew"></label>
              <label class="ops-field">{{ t('ops.role') }}<select name="role" v-model="userForm.role"><option v-for="r in roles" :value="r">{{ t('ops.role.' + r) }}</option></select></label>
          </template>
          <template #form-more>
            <ops-scope-picker v-model="userForm.scopes" :legend="t('ops.scopes')"></ops-scope-picker>
          </template>
        </ops-section>

        <ops-section v-if="admin" title-id="ops-clients-title" :title="t('ops.clients')" :add-label="clientForm ? null : t('ops.addClient')" add-test="add-client"
          @add="newClient" :empty="t('ops.noClients')" :is-empty="!clients.length" :form-shown="!!clientForm" :form-title="t('ops.addClient')" :form-label="t('ops.clientForm')" form-test="client-form" @submit="saveClient" :form-error="formError" :submit-label="t('ops.create')" submit-test="save-client" @cancel="clientForm = null">
          <template #top><ops-secret-once v-if="secret" :id="secret.id" :secret="secret.value" @done="secret = null"></ops-secret-once></template>
              <table class="ops-table" data-test="clients">
              <thead><tr><th>{{ t('name') }}</th><th>{{ t('ops.clientId') }}</th><th>{{ t('ops.scopes') }}</th><th>{{ t('ops.created') }}</th><th><span class="visually-hidden">{{ t('ops.actions') }}</span></th></tr></thead>
              <tbody>
                <tr v-for="c in clients" :key="c.client_id" :data-client-id="c.client_id">
                  <td>{{ c.name }}</td><td><code>{{ c.client_id }}</code></td><td class="ops-wrap">{{ scopesText(c.scopes) }}</td><td>{{ dateTime(c.createdAt) }}</td>
                  <td><div class="ops-actions">
                    <button type="button" class="secondary" @click="replaceClient(c)" :aria-label="t('ops.replaceClient', { name: c.name })">{{ t('ops.newSecret') }}</button>
                    <button type="button" class="secondary" @click="removeClient(c)" :aria-label="t('ops.deleteClient', { name: c.name })">{{ t('ops.delete') }}</button>
                  </div></td>
                </tr>
              </tbody>
            </table>
          <template #form>
            <label class="ops-field">{{ t('name') }}<input name="name" v-model.trim="clientForm.name" required></label>
          </template>
          <template #form-more>
            <ops-scope-picker v-model="clientForm.scopes" :legend="t('ops.scopes')" name="client-scopes"></ops-scope-picker>
          </template>
        </ops-section>
      </template>
    </section>`,
};
