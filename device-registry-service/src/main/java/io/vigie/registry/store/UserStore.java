package io.vigie.registry.store;

import io.vertx.core.Future;
import io.vigie.common.auth.Role;
import io.vigie.registry.domain.User;
import java.util.List;

/**
 * Users (usernames are unique across tenants: a login names no tenant). Changes take the user as it was when
 * the caller's access was decided and answer {@link Outcome#CHANGED} when its role or scopes changed meanwhile.
 */
public interface UserStore {

  /** OK or DUPLICATE. */
  Future<Outcome> create(User user);

  /** The user with its password hash, or null. */
  Future<User> get(String username);

  /** The tenant's users, sorted by username. */
  Future<List<User>> list(String tenant);

  /** Sets the non-null among role, scopes and password hash: OK, NO_ACCOUNT or CHANGED. */
  Future<Outcome> update(User expected, Role role, List<String> scopes, String passwordHash);

  /** OK, NO_ACCOUNT or CHANGED. */
  Future<Outcome> delete(User expected);
}
