package io.vigie.registry.store;

/** What an atomic registry write answered. */
public enum Outcome {
  /** Written. */
  OK,
  /** The id is taken. */
  DUPLICATE,
  /** The parent node does not exist in the tenant. */
  NO_PARENT,
  /** The device's node does not exist in the tenant. */
  NO_NODE,
  /** The device type does not exist in the tenant. */
  NO_TYPE;

  static Outcome of(io.vertx.redis.client.Response response) {
    return valueOf(response.toString());
  }
}
