package io.vigie.registry.store;

/** What an atomic registry write answered. */
public enum Outcome {
  /** Written. */
  OK,
  /** Nothing to write: it already was so. */
  UNCHANGED,
  /** The id is taken. */
  DUPLICATE,
  /** The id belonged to a node deleted less than a token lifetime ago. */
  RECENTLY_DELETED,
  /** The first admin's username of a new tenant is taken. */
  USER_TAKEN,
  /** The tenant does not exist. */
  NO_TENANT,
  /** The parent node does not exist in the tenant. */
  NO_PARENT,
  /** The node (or the device's node) does not exist in the tenant. */
  NO_NODE,
  /** The device does not exist. */
  NO_DEVICE,
  /** The device type does not exist in the tenant. */
  NO_TYPE,
  /** The user or client does not exist in the tenant. */
  NO_ACCOUNT,
  /** Something the caller's access was decided on changed meanwhile (a path, a role, scopes): decide again. */
  CHANGED,
  /** The tenant's root node cannot be moved or deleted like a node. */
  ROOT,
  /** The new parent is the node itself or one of its descendants. */
  CYCLE,
  /** The node has children or devices (delete without cascade). */
  NOT_EMPTY,
  /** The tree would be deeper than the registry allows. */
  TOO_DEEP,
  /** The subtree is larger than one atomic operation may touch. */
  TOO_LARGE
}
