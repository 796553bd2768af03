package io.vigie.registry.store;

import io.vertx.core.Future;
import io.vigie.registry.domain.Client;
import java.util.List;

/** Partner clients (client credentials; the secret is stored hashed). */
public interface ClientStore {

  /** OK or DUPLICATE. */
  Future<Outcome> create(Client client);

  /** The client with its secret hash, or null. */
  Future<Client> get(String clientId);

  /** The tenant's clients, sorted by name then id. */
  Future<List<Client>> list(String tenant);

  /** OK, NO_ACCOUNT or CHANGED (its role or scopes changed since {@code expected} was read). */
  Future<Outcome> delete(Client expected);
}
