package io.vigie.registry.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vigie.common.auth.AuthHandler;
import io.vigie.common.auth.Role;
import io.vigie.common.auth.VigiePrincipal;
import io.vigie.common.http.ApiException;
import io.vigie.common.message.RegistryChange.Kind;
import io.vigie.registry.auth.Passwords;
import io.vigie.registry.domain.User;
import io.vigie.registry.store.NodeStore;
import io.vigie.registry.store.UserStore;
import java.util.List;
import java.util.Set;

/**
 * {@code PATCH|DELETE /api/v1/users/{username}}. An admin covering the user changes its role (no higher than its
 * own), scopes (nodes it administers) or password, or deletes it. A user changes only its own password, giving
 * its current one, and neither its own role and scopes nor deletes itself. Tokens already issued stay valid
 * until they expire.
 */
public final class UserChangeRoutes {
  private static final Set<String> PATCHABLE = Set.of("role", "scopes", "password", "currentPassword");

  private final NodeStore nodes;
  private final UserStore users;
  private final Passwords passwords;
  private final Changes changes;

  public UserChangeRoutes(NodeStore nodes, UserStore users, Passwords passwords, Changes changes) {
    this.nodes = nodes;
    this.users = users;
    this.passwords = passwords;
    this.changes = changes;
  }

  public void mount(Router router, AuthHandler auth) {
    router.patch("/api/v1/users/:username").handler(Requests.bodies(16_384)).handler(auth).handler(this::patch);
    router.delete("/api/v1/users/:username").handler(auth).handler(this::delete);
  }

  private record Patch(Role role, List<String> scopes, String password, String currentPassword) {}

  private void patch(RoutingContext ctx) {
    var caller = AuthHandler.principal(ctx);
    var username = ctx.pathParam("username");
    var patch = parse(Requests.body(ctx));
    var before = new java.util.concurrent.atomic.AtomicReference<User>();
    Attempts.retrying(() -> UserRoutes.readable(nodes, users, caller, username).compose(user -> {
          before.set(user);
          var self = user.username().equals(caller.subject());
          return (self ? checkSelf(user, patch) : checkOther(caller, patch))
              .compose(ignored -> patch.password() == null ? Future.succeededFuture(null) : passwords.hash(patch.password()))
              .compose(hash -> users.update(user, patch.role(), patch.scopes(), hash))
              .map(outcome -> switch (outcome) {
                case OK -> user;
                case CHANGED -> throw new Attempts.Changed();
                default -> throw UserRoutes.notFound(username);
              });
        }))
        .compose(ignored -> users.get(username))
        .onSuccess(user -> {
          if (user == null) {
            ctx.fail(UserRoutes.notFound(username));
            return;
          }
          changes.publish(Kind.USER, username, user.tenant());
          var after = user.toJson();
          if (patch.password() != null) after.put("password", "new");
          Audits.account(nodes, caller, "update", "user", username, null, user.tenant(), user.scopes(),
              before.get().toJson(), after).onSuccess(changes::audit);
          Requests.ok(ctx, user.toJson());
        })
        .onFailure(e -> ctx.fail(Requests.failure(e)));
  }

  private static Patch parse(JsonObject body) {
    for (var field : body.fieldNames()) {
      if (!PATCHABLE.contains(field)) throw ApiException.badRequest("a user's " + field + " cannot be changed");
    }
    var patch = new Patch(body.getValue("role") == null ? null : AccountAccess.role(Requests.requiredString(body, "role", 16)),
        body.getValue("scopes") == null ? null : Requests.scopes(body, "scopes"),
        body.getValue("password") == null ? null : UserRoutes.password(body, "password"),
        Requests.optionalString(body, "currentPassword", UserRoutes.PASSWORD_MAX));
    if (patch.role() == null && patch.scopes() == null && patch.password() == null) {
      throw ApiException.badRequest("nothing to change: give role, scopes or password");
    }
    return patch;
  }

  private Future<Void> checkSelf(User user, Patch patch) {
    if (patch.role() != null || patch.scopes() != null) {
      return Future.failedFuture(ApiException.forbidden("you cannot change your own role or scopes"));
    }
    if (patch.currentPassword() == null) {
      return Future.failedFuture(ApiException.badRequest("currentPassword is required to change your own password"));
    }
    return passwords.verify(patch.currentPassword(), user.passwordHash()).compose(valid -> valid
        ? Future.succeededFuture() : Future.failedFuture(ApiException.forbidden("currentPassword is not your password")));
  }

  private Future<Void> checkOther(VigiePrincipal caller, Patch patch) {
    if (patch.role() != null) AccountAccess.requireGrantable(caller, patch.role());
    return patch.scopes() == null ? Future.succeededFuture()
        : new AccountAccess(nodes).requireGrantable(caller, patch.scopes());
  }

  private void delete(RoutingContext ctx) {
    var caller = AuthHandler.principal(ctx);
    var username = ctx.pathParam("username");
    Attempts.retrying(() -> UserRoutes.readable(nodes, users, caller, username).compose(user -> {
          if (user.username().equals(caller.subject())) throw ApiException.badRequest("you cannot delete yourself");
          return users.delete(user).map(outcome -> switch (outcome) {
            case OK -> user;
            case CHANGED -> throw new Attempts.Changed();
            default -> throw UserRoutes.notFound(username);
          });
        }))
        .onSuccess(user -> {
          changes.publish(Kind.USER, username, user.tenant());
          Audits.account(nodes, caller, "delete", "user", username, null, user.tenant(), user.scopes(), user.toJson(), null)
              .onSuccess(changes::audit);
          Requests.noContent(ctx);
        })
        .onFailure(e -> ctx.fail(Requests.failure(e)));
  }
}
