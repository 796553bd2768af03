package io.vigie.registry.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vigie.common.auth.Role;
import io.vigie.registry.domain.Client;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** {@link ClientStore} on Redis: a hash per client plus the tenant's set of client ids. */
public final class RedisClientStore implements ClientStore {
  private static final String KIND = "client";
  private static final Comparator<Client> ORDER = Comparator.comparing(Client::name, String.CASE_INSENSITIVE_ORDER)
      .thenComparing(Client::clientId);

  private final Redis redis;

  public RedisClientStore(Redis redis) {
    this.redis = redis;
  }

  @Override
  public Future<Outcome> create(Client client) {
    var args = new ArrayList<>(List.of(KIND, client.clientId(), client.tenant()));
    args.addAll(Scripts.fields("clientId", client.clientId(), "tenant", client.tenant(), "name", client.name(),
        "role", client.role().wire(), "scopes", new JsonArray(client.scopes()).encode(),
        "secretHash", client.secretHash(), "createdAt", client.createdAt()));
    return Scripts.run(redis, Scripts.CREATE_ACCOUNT, args).map(Scripts::outcome);
  }

  @Override
  public Future<Client> get(String clientId) {
    return redis.send(hmget(clientId)).map(RedisClientStore::client);
  }

  @Override
  public Future<List<Client>> list(String tenant) {
    return redis.send(Request.cmd(Command.SMEMBERS).arg(RedisKeys.tenantClients(tenant))).compose(members -> {
      var ids = Scripts.strings(members);
      if (ids.isEmpty()) return Future.succeededFuture(List.<Client>of());
      return redis.batch(ids.stream().map(RedisClientStore::hmget).toList())
          .map(rows -> rows.stream().map(RedisClientStore::client).filter(c -> c != null && c.tenant().equals(tenant))
              .sorted(ORDER).toList());
    });
  }

  @Override
  public Future<Outcome> delete(Client expected) {
    return Scripts.run(redis, Scripts.CHANGE_ACCOUNT, List.of(KIND, expected.clientId(), expected.tenant(),
        expected.role().wire(), new JsonArray(expected.scopes()).encode())).map(Scripts::outcome);
  }

  private static Request hmget(String clientId) {
    return Request.cmd(Command.HMGET).arg(RedisKeys.client(clientId))
        .arg("clientId").arg("tenant").arg("name").arg("role").arg("scopes").arg("secretHash").arg("createdAt");
  }

  private static Client client(Response response) {
    var v = Scripts.strings(response);
    if (v.get(0) == null) return null;
    var scopes = new JsonArray(v.get(4)).stream().map(String::valueOf).toList();
    return new Client(v.get(0), v.get(1), v.get(2), Role.fromWire(v.get(3)), scopes, v.get(5), v.get(6));
  }
}
