package io.vigie.registry.store;

/**
 * The Redis key layout of the registry (documented in the module README). Every key starts with
 * {@code vigie:{registry}:}: the hash tag keeps the whole registry in one Redis Cluster slot, because its scripts walk
 * the tree (keys found on the way) and check uniqueness across tenants atomically. Node ids, usernames and DevEUIs are
 * unique across tenants; device types are per tenant.
 */
public final class RedisKeys {
  public static final String PREFIX = "vigie:{registry}:";
  /** Prefix of node hashes; {@code NODE + id} is the hash, {@code + ":children"} / {@code + ":devices"} its sets. */
  public static final String NODE = PREFIX + "node:";

  private RedisKeys() {}

  /** String: {@code running:<instance>} (with expiry) while an instance bootstraps, then {@code done <time>}. */
  public static String bootstrap() {
    return PREFIX + "bootstrap";
  }

  /** Set of tenant ids. */
  public static String tenants() {
    return PREFIX + "tenants";
  }

  /** Hash {id, name, createdAt}. */
  public static String tenant(String tenant) {
    return PREFIX + "tenant:" + tenant;
  }

  /** Set of every node id of the tenant (root included). */
  public static String tenantNodes(String tenant) {
    return tenant(tenant) + ":nodes";
  }

  /** Set of every DevEUI of the tenant. */
  public static String tenantDevices(String tenant) {
    return tenant(tenant) + ":devices";
  }

  /** Set of the device-type ids of the tenant. */
  public static String tenantDeviceTypes(String tenant) {
    return tenant(tenant) + ":device-types";
  }

  /** Set of the usernames of the tenant. */
  public static String tenantUsers(String tenant) {
    return tenant(tenant) + ":users";
  }

  /** Hash {id, tenant, parentId ("" for the root), kind, name, attributes (JSON), createdAt}. */
  public static String node(String id) {
    return NODE + id;
  }

  /** Set of the ids of the node's direct children. */
  public static String children(String id) {
    return NODE + id + ":children";
  }

  /** Set of the DevEUIs attached directly to the node. */
  public static String nodeDevices(String id) {
    return NODE + id + ":devices";
  }

  /** Hash {id, tenant, name, codec (JSON), measurements (JSON, optional), updatedAt}. */
  public static String deviceType(String tenant, String id) {
    return PREFIX + "device-type:" + tenant + ":" + id;
  }

  /**
   * Hash {devEui, tenant, name, nodeId, type, activationMode, devAddr?, appSKey?, nwkSKey?, createdAt}; the
   * session keys are sealed (AES-256-GCM, {@code v1:…}), never plaintext.
   */
  public static String device(String devEui) {
    return PREFIX + "device:" + devEui;
  }

  /** Set of the DevEUIs of ABP devices using this DevAddr (what a raw-frame decoder looks up). */
  public static String devAddr(String devAddr) {
    return PREFIX + "devaddr:" + devAddr;
  }

  /** Hash {username, tenant, role, scopes (JSON array), passwordHash (Argon2id PHC string), createdAt}. */
  public static String user(String username) {
    return PREFIX + "user:" + username;
  }

  /** Set of the client ids of the tenant's partner clients. */
  public static String tenantClients(String tenant) {
    return tenant(tenant) + ":clients";
  }

  /**
   * Hash {clientId, tenant, name, role, scopes (JSON array), secretHash (Argon2id PHC string), createdAt}.
   * Client ids start with {@code vc_}, which usernames may not, so the two never share a token subject.
   */
  public static String client(String clientId) {
    return PREFIX + "client:" + clientId;
  }

  /**
   * String, expiring after the longest token lifetime: a node id deleted recently. Tokens issued before the
   * deletion may still name it in their scopes, so it is not given to a new node until they have expired.
   */
  public static String nodeTombstone(String id) {
    return PREFIX + "tombstone:node:" + id;
  }

  /**
   * Counter of failed logins for a username (or client id) from one client address, forgotten after a quiet
   * window; past the limit each failure sets {@link #loginBlockOfUserFrom} for a growing delay.
   */
  public static String loginFailuresOfUserFrom(String username, String address) {
    return PREFIX + "throttle:login:user:" + username + ":ip:" + address;
  }

  /** Present (expiring) while a username may not be tried from one client address. */
  public static String loginBlockOfUserFrom(String username, String address) {
    return PREFIX + "throttle:login:block:" + username + ":ip:" + address;
  }

  /** Counter of failed logins from a client address, whatever the username, expiring with the throttle window. */
  public static String loginFailuresOfAddress(String address) {
    return PREFIX + "throttle:login:ip:" + address;
  }
}
