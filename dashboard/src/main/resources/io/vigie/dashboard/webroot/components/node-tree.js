// The hierarchy as nested lists of links (to the wall, or to base + id); the current node is marked (aria-current).
const NodeTree = {
  name: 'NodeTree',
  props: { nodes: { type: Array, required: true }, current: { type: String, default: null }, base: { type: String, default: '#/nodes/' } },
  template: `
    <ul class="tree">
      <li v-for="node in nodes" :key="node.id">
        <a :href="base + encodeURIComponent(node.id)" :aria-current="node.id === current ? 'page' : null"
           :data-node-id="node.id" :class="'kind-' + node.kind">{{ node.name }}</a>
        <node-tree v-if="node.children && node.children.length" :nodes="node.children" :current="current" :base="base"></node-tree>
      </li>
    </ul>`,
};
NodeTree.components = { NodeTree };
export default NodeTree;
