// Administration of the hierarchy: the tree; a node's details; create a child, rename, edit attributes, move
// (confirmed with what moves) and delete (confirmed with what goes; cascade only then). Admins only edit.
import { api } from '../api.js';
import { t } from '../i18n.js';
import { hierarchy, loadHierarchy, findNode, flatNodes } from '../hierarchy.js';
import { mayAdminister, subtreeCounts, enc } from '../admin.js';
import ConfirmDialog from '../components/confirm-dialog.js';
import NodeTree from '../components/node-tree.js';
import StateMessage from '../components/state-message.js';

const KINDS = ['site', 'building', 'floor', 'room', 'asset'];
const attributesText = node => Object.entries(node?.attributes ?? {}).map(([k, v]) => `${k}=${v}`).join('\n');

function parseAttributes(text) {
  const out = {};
  for (const line of text.split('\n').map(l => l.trim()).filter(Boolean)) {
    const at = line.indexOf('=');
    if (at <= 0) throw new Error(t('admin.tree.badAttribute', { line }));
    out[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return out;
}

/** Submit and Cancel of a form. */
const FormButtons = {
  props: { action: { type: String, required: true }, disabled: Boolean },
  emits: ['cancel'],
  methods: { t },
  template: `<div class="toolbar"><button type="submit" :disabled="disabled" data-test="save">{{ action }}</button>
    <button type="button" class="secondary" @click="$emit('cancel')">{{ t('cancel') }}</button></div>`,
};

export default {
  name: 'AdminHierarchyView',
  components: { NodeTree, FormButtons, ConfirmDialog, StateMessage },
  props: { nodeId: { type: String, default: null } },
  data: () => ({ form: null, dialog: null, error: null, busy: false, done: '', doneAt: null }),
  computed: {
    hierarchy: () => hierarchy, kinds: () => KINDS,
    node() { return findNode(this.nodeId ?? hierarchy.roots[0]?.id); },
    editable() { return mayAdminister(); },
    counts() { return subtreeCounts(this.node); },
    targets() {
      // a node cannot move below itself
      const inside = new Set();
      const walk = n => { inside.add(n.id); (n.children ?? []).forEach(walk); };
      if (this.node) walk(this.node);
      return flatNodes().filter(n => !inside.has(n.id) && n.id !== this.node?.parentId);
    },
  },
  // the message of what was just done stays on the node it led to
  watch: { nodeId(id) { this.close(); if (id !== this.doneAt) this.done = ''; } },
  methods: {
    t,
    open(kind) {
      this.error = null;
      const node = this.node;
      if (kind === 'child') this.form = { kind, childKind: 'room', name: '', id: '' };
      if (kind === 'edit') this.form = { kind, name: node.name, attributes: attributesText(node) };
      if (kind === 'move') this.form = { kind, parentId: this.targets[0]?.id ?? '' };
      this.$nextTick(() => this.$el.querySelector('.admin-form input, .admin-form select')?.focus());
    },
    close() { this.form = null; this.dialog = null; this.error = null; },
    async run(work, message) {
      this.busy = true;
      this.error = null;
      try {
        const after = await work();
        await loadHierarchy();
        this.done = message;
        this.doneAt = after ?? this.node?.id;
        this.form = null;
        this.dialog = null;
        if (after) location.hash = `#/admin/hierarchy/${enc(after)}`;
      } catch (e) {
        this.error = e.message;
      } finally {
        this.busy = false;
      }
    },
    create() {
      const body = { parentId: this.node.id, kind: this.form.childKind, name: this.form.name.trim() };
      if (this.form.id.trim()) body.id = this.form.id.trim();
      this.run(async () => (await api.post('/api/v1/nodes', body)).id, t('admin.tree.created', { name: body.name }));
    },
    save() {
      let attributes;
      try { attributes = parseAttributes(this.form.attributes); } catch (e) { this.error = e.message; return; }
      this.run(async () => { await api.patch(`/api/v1/nodes/${enc(this.node.id)}`, { name: this.form.name.trim(), attributes }); },
        t('admin.tree.saved'));
    },
    askMove() { this.dialog = 'move'; },
    move() {
      const id = this.node.id;
      this.run(async () => { await api.post(`/api/v1/nodes/${enc(id)}/move`, { parentId: this.form.parentId }); return id; },
        t('admin.tree.moved'));
    },
    remove() {
      const { id, parentId } = this.node;
      const cascade = this.counts.nodes > 1 || this.counts.devices > 0;
      this.run(async () => { await api.del(`/api/v1/nodes/${enc(id)}${cascade ? '?cascade=true' : ''}`); return parentId; },
        t('admin.tree.deleted'));
    },
    targetName(id) { return flatNodes().find(n => n.id === id)?.name ?? id; },
  },
  template: `
    <section class="admin-split" aria-labelledby="hierarchy-title">
      <nav class="panel tree-panel" :aria-label="t('admin.tree.title')">
        <node-tree :nodes="hierarchy.roots" :current="node?.id" base="#/admin/hierarchy/"></node-tree>
      </nav>
      <div>
        <state-message v-if="!node" kind="error" :text="t('unknownPlace')"></state-message>
        <article v-else class="panel" data-test="node">
          <h1 id="hierarchy-title">{{ node.name }} <small class="note">{{ t('admin.kind.' + node.kind) }}</small></h1>
          <p v-if="done" class="state state-ok" role="status" data-test="done">{{ done }}</p>
          <dl class="facts">
            <dt>{{ t('admin.id') }}</dt><dd><code>{{ node.id }}</code></dd>
            <dt>{{ t('admin.tree.contains') }}</dt><dd data-test="counts">{{ t('admin.tree.counts', { nodes: counts.nodes - 1, devices: counts.devices }) }}</dd>
            <template v-for="(value, key) in node.attributes ?? {}" :key="key"><dt>{{ key }}</dt><dd>{{ value }}</dd></template>
          </dl>
          <p><a :href="'#/nodes/' + encodeURIComponent(node.id)">{{ t('admin.tree.openWall') }}</a> ·
             <a :href="'#/admin/devices?nodeId=' + encodeURIComponent(node.id)">{{ t('admin.tree.devicesHere') }}</a></p>
          <div v-if="editable" class="toolbar" data-test="node-actions">
            <button type="button" @click="open('child')" data-test="add-child">{{ t('admin.tree.addChild') }}</button>
            <button type="button" class="secondary" @click="open('edit')" data-test="edit-node">{{ t('admin.tree.edit') }}</button>
            <button v-if="node.parentId" type="button" class="secondary" @click="open('move')" data-test="move-node">{{ t('admin.tree.move') }}</button>
            <button v-if="node.parentId" type="button" class="secondary danger-text" @click="dialog = 'delete'" data-test="delete-node">{{ t('admin.delete') }}</button>
          </div>
          <form v-if="form && form.kind === 'child'" class="admin-form" @submit.prevent="create" data-test="child-form">
            <h2>{{ t('admin.tree.addChildOf', { name: node.name }) }}</h2>
            <label for="child-kind">{{ t('admin.tree.kind') }}</label>
            <select id="child-kind" v-model="form.childKind"><option v-for="k in kinds" :value="k">{{ t('admin.kind.' + k) }}</option></select>
            <label for="child-name">{{ t('admin.name') }}</label>
            <input id="child-name" v-model="form.name" required maxlength="200">
            <label for="child-id">{{ t('admin.tree.idOptional') }}</label>
            <input id="child-id" v-model="form.id" pattern="[A-Za-z0-9._\\-]{1,64}" autocomplete="off">
            <form-buttons :action="t('admin.create')" :disabled="busy" @cancel="close"></form-buttons>
          </form>
          <form v-if="form && form.kind === 'edit'" class="admin-form" @submit.prevent="save" data-test="edit-form">
            <h2>{{ t('admin.tree.edit') }}</h2>
            <label for="node-name">{{ t('admin.name') }}</label>
            <input id="node-name" v-model="form.name" required maxlength="200">
            <label for="node-attributes">{{ t('admin.tree.attributes') }}</label>
            <textarea id="node-attributes" v-model="form.attributes" rows="4" aria-describedby="attributes-help"></textarea>
            <p id="attributes-help" class="note">{{ t('admin.tree.attributesHelp') }}</p>
            <form-buttons :action="t('admin.save')" :disabled="busy" @cancel="close"></form-buttons>
          </form>
          <form v-if="form && form.kind === 'move'" class="admin-form" @submit.prevent="askMove" data-test="move-form">
            <h2>{{ t('admin.tree.move') }}</h2>
            <label for="move-parent">{{ t('admin.tree.newParent') }}</label>
            <select id="move-parent" v-model="form.parentId" required>
              <option v-for="n in targets" :value="n.id">{{ '\u2003'.repeat(n.depth) + n.name }}</option>
            </select>
            <form-buttons :action="t('admin.tree.move') + '…'" :disabled="!form.parentId" @cancel="close"></form-buttons>
          </form>
          <p v-if="error && !dialog" class="state state-error" role="alert" data-test="error">{{ error }}</p>
        </article>
        <confirm-dialog v-if="dialog === 'move'" :title="t('admin.tree.moveTitle', { name: node.name })" :action="t('admin.tree.move')"
          :text="t('admin.tree.moveText', { name: node.name, parent: targetName(form.parentId), nodes: counts.nodes - 1, devices: counts.devices })"
          :error="error" @confirm="move" @cancel="dialog = null; error = null"></confirm-dialog>
        <confirm-dialog v-if="dialog === 'delete'" :title="t('admin.tree.deleteTitle', { name: node.name })" :action="t('admin.delete')" danger
          :text="counts.nodes > 1 || counts.devices ? t('admin.tree.deleteCascade', { name: node.name, nodes: counts.nodes - 1, devices: counts.devices }) : t('admin.tree.deleteEmpty', { name: node.name })"
          :error="error" @confirm="remove" @cancel="dialog = null; error = null"></confirm-dialog>
      </div>
    </section>`,
};
