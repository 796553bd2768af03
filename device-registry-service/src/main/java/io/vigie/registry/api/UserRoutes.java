package io.vigie.registry.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vigie.common.auth.AuthHandler;
import io.vigie.common.auth.VigiePrincipal;
import io.vigie.common.http.ApiException;
import io.vigie.common.message.RegistryChange.Kind;
import io.vigie.registry.auth.Passwords;
import io.vigie.registry.domain.Ids;
import io.vigie.registry.domain.User;
import io.vigie.registry.store.NodeStore;
import io.vigie.registry.store.Outcome;
import io.vigie.registry.store.UserStore;
import java.util.List;

/**
 * {@code POST /api/v1/users} {@code {"username","password","role","scopes":[nodeId…]}}, {@code GET /api/v1/users}
 * and {@code GET /api/v1/users/{username}}. An admin creates users of its own tenant, scoped to nodes it
 * administers, with a role no higher than its own; it sees the users whose every scope it administers. Every
 * user sees itself. Anything else answers 404, like a user that does not exist.
 */
public final class UserRoutes {
  static final int PASSWORD_MIN = 8;
  static final int PASSWORD_MAX = 1024;

  private final NodeStore nodes;
  private final UserStore users;
  private final Passwords passwords;
  private final Changes changes;

  public UserRoutes(NodeStore nodes, UserStore users, Passwords passwords, Changes changes) {
    this.nodes = nodes;
    this.users = users;
    this.passwords = passwords;
    this.changes = changes;
  }

  public void mount(Router router, AuthHandler auth) {
    router.post("/api/v1/users").handler(Requests.bodies(16_384)).handler(auth).handler(this::create);
    router.get("/api/v1/users").handler(auth).handler(this::list);
    router.get("/api/v1/users/:username").handler(auth).handler(this::get);
  }

  static ApiException notFound(String username) {
    return ApiException.notFound("user '" + username + "' not found");
  }

  static String password(JsonObject body, String field) {
    var password = Requests.requiredString(body, field, PASSWORD_MAX);
    if (password.length() < PASSWORD_MIN) throw ApiException.badRequest(field + " must have at least " + PASSWORD_MIN + " characters");
    return password;
  }

  /** The user named by a route, when the caller may see it (itself, or an admin covering it); else 404. */
  static Future<User> readable(NodeStore nodes, UserStore users, VigiePrincipal caller, String username) {
    if (!Ids.USERNAME.matcher(username).matches()) return Future.failedFuture(notFound(username));
    return users.get(username).compose(user -> {
      if (user == null || !user.tenant().equals(caller.tenant())) return Future.failedFuture(notFound(username));
      if (user.username().equals(caller.subject())) return Future.succeededFuture(user);
      return new AccountAccess(nodes).covers(caller, user.tenant(), user.scopes())
          .map(covered -> {
            if (!covered) throw notFound(username);
            return user;
          });
    });
  }

  private void get(RoutingContext ctx) {
    readable(nodes, users, AuthHandler.principal(ctx), ctx.pathParam("username"))
        .onSuccess(user -> Requests.ok(ctx, user.toJson()))
        .onFailure(e -> ctx.fail(Requests.failure(e)));
  }

  private void list(RoutingContext ctx) {
    var caller = AuthHandler.principal(ctx);
    var access = new AccountAccess(nodes);
    users.list(caller.tenant())
        .compose(all -> Future.all(all.stream().map(user -> user.username().equals(caller.subject())
                ? Future.succeededFuture(true) : access.covers(caller, user.tenant(), user.scopes())).toList())
            .map(seen -> {
              var out = new JsonArray();
              for (int i = 0; i < all.size(); i++) if (Boolean.TRUE.equals(seen.resultAt(i))) out.add(all.get(i).toJson());
              return new JsonObject().put("users", out);
            }))
        .onSuccess(json -> Requests.ok(ctx, json))
        .onFailure(e -> ctx.fail(Requests.failure(e)));
  }

  private void create(RoutingContext ctx) {
    var caller = AuthHandler.principal(ctx);
    AccountAccess.requireAdmin(caller, "create users");
    var body = Requests.body(ctx);
    var username = Requests.requiredString(body, "username", 64);
    if (!Ids.isNewUsername(username)) {
      throw ApiException.badRequest("username must match [A-Za-z0-9._@-]{1,64} and not start with vc_ (partner clients)");
    }
    var password = password(body, "password");
    var role = AccountAccess.role(Requests.requiredString(body, "role", 16));
    AccountAccess.requireGrantable(caller, role);
    List<String> scopes = Requests.scopes(body, "scopes");

    new AccountAccess(nodes).requireGrantable(caller, scopes)
        .compose(ignored -> passwords.hash(password))
        .compose(hash -> {
          var user = new User(username, caller.tenant(), role, scopes, hash);
          return users.create(user).map(outcome -> {
            if (outcome == Outcome.DUPLICATE) throw ApiException.conflict("user '" + username + "' already exists");
            return user;
          });
        })
        .onSuccess(user -> {
          changes.publish(Kind.USER, username, user.tenant());
          Audits.account(nodes, caller, "create", "user", username, null, user.tenant(), user.scopes(), null,
              user.toJson().put("password", "set")).onSuccess(changes::audit);
          Requests.created(ctx, "/api/v1/users/" + username, user.toJson());
        })
        .onFailure(e -> ctx.fail(Requests.failure(e)));
  }
}
