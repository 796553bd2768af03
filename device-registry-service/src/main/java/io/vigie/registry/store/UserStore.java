package io.vigie.registry.store;

import io.vertx.core.Future;
import io.vigie.registry.domain.User;

/** Users (usernames are unique across tenants: a login names no tenant). */
public interface UserStore {

  /** OK or DUPLICATE. */
  Future<Outcome> create(User user);

  /** The user with its password hash, or null. */
  Future<User> get(String username);
}
