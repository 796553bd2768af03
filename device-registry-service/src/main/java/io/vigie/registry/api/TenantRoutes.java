package io.vigie.registry.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vigie.common.audit.AuditEvent;
import io.vigie.common.auth.AuthHandler;
import io.vigie.common.auth.Role;
import io.vigie.common.auth.VigiePrincipal;
import io.vigie.common.http.ApiException;
import io.vigie.common.message.RegistryChange.Kind;
import io.vigie.registry.auth.Passwords;
import io.vigie.registry.domain.Ids;
import io.vigie.registry.domain.Node;
import io.vigie.registry.domain.Tenant;
import io.vigie.registry.domain.User;
import io.vigie.registry.store.NodeStore;
import java.util.List;

/**
 * {@code POST|GET /api/v1/tenants}, {@code DELETE /api/v1/tenants/{id}}: platform admins only (admins of tenant
 * {@code default} scoped to its root); anyone else gets 403. A new tenant may come with its first admin
 * ({@code "admin":{"username","password"}}), scoped to the tenant's root: nobody else could create it, since
 * no request crosses tenants.
 */
public final class TenantRoutes {
  private final NodeStore nodes;
  private final Passwords passwords;
  private final Changes changes;

  public TenantRoutes(NodeStore nodes, Passwords passwords, Changes changes) {
    this.nodes = nodes;
    this.passwords = passwords;
    this.changes = changes;
  }

  public void mount(Router router, AuthHandler auth) {
    router.post("/api/v1/tenants").handler(Requests.bodies(16_384)).handler(auth).handler(this::create);
    router.get("/api/v1/tenants").handler(auth).handler(this::list);
    router.delete("/api/v1/tenants/:id").handler(auth).handler(this::delete);
  }

  private static void requirePlatformAdmin(VigiePrincipal principal) {
    if (!NodeAccess.isPlatformAdmin(principal)) {
      throw ApiException.forbidden("only platform admins (admins of tenant default at its root) manage tenants");
    }
  }

  private void create(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    requirePlatformAdmin(principal);
    var body = Requests.body(ctx);
    var id = Requests.requiredId(body, "id");
    var name = Requests.requiredString(body, "name", Requests.NAME_MAX);
    var admin = Requests.optionalObject(body, "admin");
    String username = null;
    String password = null;
    if (admin != null) {
      username = Requests.requiredString(admin, "username", 64);
      if (!Ids.isNewUsername(username)) {
        throw ApiException.badRequest("admin.username must match [A-Za-z0-9._@-]{1,64} and not start with vc_");
      }
      password = UserRoutes.password(admin, "password");
    }
    var firstAdmin = username;
    (password == null ? Future.<String>succeededFuture() : passwords.hash(password))
        .compose(hash -> {
          var user = hash == null ? null : new User(firstAdmin, id, Role.ADMIN, List.of(id), hash);
          return nodes.createTenant(id, name, user).map(outcome -> switch (outcome) {
            case OK -> user;
            case USER_TAKEN -> throw ApiException.conflict("user '" + firstAdmin + "' already exists");
            case RECENTLY_DELETED -> throw ApiException.conflict("id '" + id + "' belonged to a node deleted recently");
            default -> throw ApiException.conflict("a tenant or node '" + id + "' already exists");
          });
        })
        .onSuccess(user -> {
          changes.publish(Kind.TENANT, id, id);
          var node = new Node(id, id, null, "tenant", name, new JsonObject());
          changes.audit(Audits.node(principal, "create", List.of(id), null, node));
          var root = node.toJson(List.of(id));
          if (user != null) {
            changes.publish(Kind.USER, user.username(), id);
            changes.audit(AuditEvent.by(principal, "create", "user", user.username()).place(id, List.of(id))
                .changes(null, user.toJson().put("password", "set")));
            root.put("admin", user.toJson());
          }
          Requests.created(ctx, "/api/v1/nodes/" + id, root);
        })
        .onFailure(e -> ctx.fail(Requests.failure(e)));
  }

  private void list(RoutingContext ctx) {
    requirePlatformAdmin(AuthHandler.principal(ctx));
    nodes.tenants()
        .onSuccess(tenants -> Requests.ok(ctx, new JsonObject().put("tenants",
            new JsonArray(tenants.stream().map(Tenant::toJson).toList()))))
        .onFailure(e -> ctx.fail(Requests.failure(e)));
  }

  private void delete(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    requirePlatformAdmin(principal);
    var id = ctx.pathParam("id");
    if (NodeAccess.PLATFORM_TENANT.equals(id)) throw ApiException.badRequest("the platform tenant cannot be deleted");
    if (!Ids.isId(id)) throw ApiException.notFound("tenant '" + id + "' not found");
    nodes.deleteTenant(id)
        .onSuccess(affected -> {
          if (affected.outcome() != io.vigie.registry.store.Outcome.OK) {
            ctx.fail(ApiException.notFound("tenant '" + id + "' not found"));
            return;
          }
          changes.publishAll(Kind.DEVICE, affected.devices(), id);
          changes.publishAll(Kind.NODE, affected.nodes(), id);
          changes.publishAll(Kind.USER, affected.users(), id);
          changes.publishAll(Kind.CLIENT, affected.clients(), id);
          changes.publish(Kind.TENANT, id, id);
          // the tenant is gone with its admins: the platform admins keep the record, at the platform's root
          changes.audit(AuditEvent.by(principal, "delete", "node", id).with("tenantDeleted", true)
              .place(NodeAccess.PLATFORM_TENANT, List.of(NodeAccess.PLATFORM_TENANT))
              .with("nodes", affected.nodes().size()).with("devices", affected.devices().size())
              .with("users", affected.users().size()).with("clients", affected.clients().size()));
          Requests.noContent(ctx);
        })
        .onFailure(e -> ctx.fail(Requests.failure(e)));
  }
}
