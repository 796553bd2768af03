package io.vigie.registry.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vigie.common.auth.Access;
import io.vigie.common.auth.AuthHandler;
import io.vigie.common.auth.Role;
import io.vigie.common.http.ApiException;
import io.vigie.registry.auth.Passwords;
import io.vigie.registry.domain.Ids;
import io.vigie.registry.domain.User;
import io.vigie.registry.store.NodeStore;
import io.vigie.registry.store.Outcome;
import io.vigie.registry.store.UserStore;
import java.util.ArrayList;
import java.util.LinkedHashSet;

/**
 * {@code POST /api/v1/users} {@code {"username","password","role","scopes":[nodeId…]}}: an admin creates a user of
 * its own tenant, scoped to nodes inside the admin's own scopes.
 */
public final class UserRoutes {
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
    router.post("/api/v1/users").handler(BodyHandler.create().setBodyLimit(16_384)).handler(auth).handler(this::create);
    router.get("/api/v1/users/:username").handler(auth).handler(this::get);
  }

  /** A user reads itself; an admin reads the users whose every scope lies in its own; anyone else gets 404. */
  private void get(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    var username = ctx.pathParam("username");
    var notFound = ApiException.notFound("user '" + username + "' not found");
    if (!Ids.USERNAME.matcher(username).matches()) throw notFound;
    users.get(username)
        .compose(user -> {
          if (user == null || !user.tenant().equals(principal.tenant())) return Future.failedFuture(notFound);
          if (user.username().equals(principal.subject())) return Future.succeededFuture(user);
          if (principal.role() != Role.ADMIN) return Future.failedFuture(notFound);
          return Future.all(user.scopes().stream().map(scope -> nodes.path(scope).map(path ->
                  path != null && Access.allows(principal, Access.Action.ADMINISTER, path.tenant(), path.ids()))).toList())
              .compose(all -> all.list().stream().allMatch(Boolean.TRUE::equals)
                  ? Future.succeededFuture(user) : Future.failedFuture(notFound));
        })
        .onSuccess(user -> Requests.ok(ctx, user.toJson()))
        .onFailure(e -> ctx.fail(Requests.failure(e)));
  }

  private void create(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    if (principal.role() != Role.ADMIN) throw ApiException.forbidden("only admins create users");
    var body = Requests.body(ctx);
    var username = Requests.requiredString(body, "username", 64);
    if (!Ids.USERNAME.matcher(username).matches()) throw ApiException.badRequest("username must match [A-Za-z0-9._@-]{1,64}");
    var password = Requests.requiredString(body, "password", 1024);
    if (password.length() < 8) throw ApiException.badRequest("password must have at least 8 characters");
    var roleValue = Requests.requiredString(body, "role", 16);
    Role role;
    try {
      role = Role.fromWire(roleValue);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("role must be admin, operator, viewer or partner");
    }
    if (!(body.getValue("scopes") instanceof JsonArray array) || array.isEmpty()
        || !array.stream().allMatch(s -> s instanceof String id && Ids.isId(id))) {
      throw ApiException.badRequest("scopes must be a non-empty array of node ids");
    }
    var scopes = new ArrayList<>(new LinkedHashSet<>(array.stream().map(String::valueOf).toList()));

    // every scope must be a node the admin itself administers
    Future.all(scopes.stream().map(scope -> nodes.path(scope).map(path -> {
          var unknown = ApiException.badRequest("scope '" + scope + "' is not a node you can see");
          if (path == null) throw unknown;
          Requests.requireAllowed(principal, Access.Action.ADMINISTER, path.tenant(), path.ids(), unknown);
          return path;
        })).toList())
        .compose(ignored -> passwords.hash(password))
        .compose(hash -> {
          var user = new User(username, principal.tenant(), role, scopes, hash);
          return users.create(user).map(outcome -> {
            if (outcome == Outcome.DUPLICATE) throw ApiException.conflict("user '" + username + "' already exists");
            return user;
          });
        })
        .onSuccess(user -> {
          changes.publish("user", username, user.tenant());
          Requests.created(ctx, "/api/v1/users/" + username, user.toJson());
        })
        .onFailure(e -> ctx.fail(Requests.failure(e)));
  }
}
