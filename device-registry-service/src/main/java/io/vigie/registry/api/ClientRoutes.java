package io.vigie.registry.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vigie.common.auth.AuthHandler;
import io.vigie.common.auth.Role;
import io.vigie.common.auth.VigiePrincipal;
import io.vigie.common.http.ApiException;
import io.vigie.common.message.RegistryChange.Kind;
import io.vigie.registry.auth.Passwords;
import io.vigie.registry.domain.Client;
import io.vigie.registry.store.ClientStore;
import io.vigie.registry.store.NodeStore;
import io.vigie.registry.store.Outcome;
import java.time.Instant;

/**
 * Partner clients: {@code POST /api/v1/clients} {@code {"name","role"?,"scopes"}} answers
 * {@code {"client_id","client_secret",…}} (the secret shown once, stored Argon2id-hashed);
 * {@code GET /api/v1/clients}, {@code GET|DELETE /api/v1/clients/{clientId}}. Same rule as users: admins, within
 * the nodes they administer, a role no higher than their own (default {@code partner}).
 */
public final class ClientRoutes {
  private final NodeStore nodes;
  private final ClientStore clients;
  private final Passwords passwords;
  private final Changes changes;

  public ClientRoutes(NodeStore nodes, ClientStore clients, Passwords passwords, Changes changes) {
    this.nodes = nodes;
    this.clients = clients;
    this.passwords = passwords;
    this.changes = changes;
  }

  public void mount(Router router, AuthHandler auth) {
    router.post("/api/v1/clients").handler(Requests.bodies(16_384)).handler(auth).handler(this::create);
    router.get("/api/v1/clients").handler(auth).handler(this::list);
    router.get("/api/v1/clients/:clientId").handler(auth).handler(this::get);
    router.delete("/api/v1/clients/:clientId").handler(auth).handler(this::delete);
  }

  private static ApiException notFound(String id) {
    return ApiException.notFound("client '" + id + "' not found");
  }

  private void create(RoutingContext ctx) {
    var caller = AuthHandler.principal(ctx);
    AccountAccess.requireAdmin(caller, "create partner clients");
    var body = Requests.body(ctx);
    var name = Requests.requiredString(body, "name", Requests.NAME_MAX);
    var role = body.getValue("role") == null ? Role.PARTNER : AccountAccess.role(Requests.requiredString(body, "role", 16));
    AccountAccess.requireGrantable(caller, role);
    var scopes = Requests.scopes(body, "scopes");
    var secret = Client.newSecret();

    new AccountAccess(nodes).requireGrantable(caller, scopes)
        .compose(ignored -> passwords.hash(secret))
        .compose(hash -> {
          var client = new Client(Client.newId(), caller.tenant(), name, role, scopes, hash, Instant.now().toString());
          return clients.create(client).map(outcome -> {
            if (outcome != Outcome.OK) throw ApiException.conflict("client id collision; retry");
            return client;
          });
        })
        .onSuccess(client -> {
          changes.publish(Kind.CLIENT, client.clientId(), client.tenant());
          Audits.account(nodes, caller, "create", "client", client.clientId(), client.name(), client.tenant(),
              client.scopes(), null, client.toJson().put("clientSecret", secret)).onSuccess(changes::audit);
          ctx.response().putHeader("Cache-Control", "no-store");
          Requests.created(ctx, "/api/v1/clients/" + client.clientId(), client.toJson().put("client_secret", secret));
        })
        .onFailure(e -> ctx.fail(Requests.failure(e)));
  }

  /** The client named by a route, when the caller may see it (itself, or an admin covering it); else 404. */
  private Future<Client> readable(VigiePrincipal caller, String id) {
    if (!Client.isClientId(id)) return Future.failedFuture(notFound(id));
    return clients.get(id).compose(client -> {
      if (client == null || !client.tenant().equals(caller.tenant())) return Future.failedFuture(notFound(id));
      if (client.clientId().equals(caller.subject())) return Future.succeededFuture(client);
      return new AccountAccess(nodes).covers(caller, client.tenant(), client.scopes()).map(covered -> {
        if (!covered) throw notFound(id);
        return client;
      });
    });
  }

  private void get(RoutingContext ctx) {
    readable(AuthHandler.principal(ctx), ctx.pathParam("clientId"))
        .onSuccess(client -> Requests.ok(ctx, client.toJson()))
        .onFailure(e -> ctx.fail(Requests.failure(e)));
  }

  private void list(RoutingContext ctx) {
    var caller = AuthHandler.principal(ctx);
    var access = new AccountAccess(nodes);
    clients.list(caller.tenant())
        .compose(all -> Future.all(all.stream().map(c -> c.clientId().equals(caller.subject())
                ? Future.succeededFuture(true) : access.covers(caller, c.tenant(), c.scopes())).toList())
            .map(seen -> {
              var out = new JsonArray();
              for (int i = 0; i < all.size(); i++) if (Boolean.TRUE.equals(seen.resultAt(i))) out.add(all.get(i).toJson());
              return new JsonObject().put("clients", out);
            }))
        .onSuccess(json -> Requests.ok(ctx, json))
        .onFailure(e -> ctx.fail(Requests.failure(e)));
  }

  private void delete(RoutingContext ctx) {
    var caller = AuthHandler.principal(ctx);
    AccountAccess.requireAdmin(caller, "delete partner clients");
    var id = ctx.pathParam("clientId");
    Attempts.retrying(() -> readable(caller, id).compose(client -> {
          return clients.delete(client).map(outcome -> switch (outcome) {
            case OK -> client;
            case CHANGED -> throw new Attempts.Changed();
            default -> throw notFound(id);
          });
        }))
        .onSuccess(client -> {
          changes.publish(Kind.CLIENT, id, client.tenant());
          Audits.account(nodes, caller, "delete", "client", id, client.name(), client.tenant(), client.scopes(),
              client.toJson(), null).onSuccess(changes::audit);
          Requests.noContent(ctx);
        })
        .onFailure(e -> ctx.fail(Requests.failure(e)));
  }
}
