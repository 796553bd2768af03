package io.vigie.registry.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vigie.common.http.ApiException;
import io.vigie.registry.auth.Passwords;
import io.vigie.registry.auth.TokenIssuer;
import io.vigie.registry.domain.Ids;
import io.vigie.registry.domain.User;
import io.vigie.registry.store.LoginThrottle;
import io.vigie.registry.store.UserStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code POST /api/v1/auth/token} (password grant) and {@code GET /.well-known/jwks.json}. */
public final class AuthRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(AuthRoutes.class);

  private final TokenIssuer issuer;
  private final Passwords passwords;
  private final UserStore users;
  private final LoginThrottle throttle;
  private final MeterRegistry meters;

  public AuthRoutes(TokenIssuer issuer, Passwords passwords, UserStore users, LoginThrottle throttle, MeterRegistry meters) {
    this.issuer = issuer;
    this.passwords = passwords;
    this.users = users;
    this.throttle = throttle;
    this.meters = meters;
  }

  public void mount(Router router) {
    router.get("/.well-known/jwks.json").handler(ctx -> {
      ctx.response().putHeader("Cache-Control", "public, max-age=300");
      ctx.json(issuer.jwks());
    });
    router.post("/api/v1/auth/token").handler(BodyHandler.create().setBodyLimit(8192)).handler(this::token);
  }

  private void token(RoutingContext ctx) {
    var request = form(ctx);
    var grant = request.getValue("grant_type");
    if (grant == null) throw new ApiException(400, "invalid_request", "grant_type is required");
    if (!"password".equals(grant)) {
      throw new ApiException(400, "unsupported_grant_type",
          "client_credentials".equals(grant) ? "client_credentials is not available yet" : "grant_type must be password");
    }
    if (!(request.getValue("username") instanceof String username) || username.isEmpty() || username.length() > 128
        || !(request.getValue("password") instanceof String password) || password.isEmpty()) {
      throw new ApiException(400, "invalid_request", "username and password are required (strings)");
    }
    if (password.length() > 1024) throw new ApiException(400, "invalid_request", "password is too long");
    var address = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().host();

    throttle.retryAfter(username, address)
        .compose(wait -> {
          if (wait > 0) {
            count("throttled");
            LOG.warn("login refused for '{}' from {}: too many failures, retry in {} s", username, address, wait);
            ctx.response().putHeader("Retry-After", String.valueOf(wait));
            return Future.failedFuture(new ApiException(429, "too_many_requests",
                "too many failed logins; retry in " + wait + " s"));
          }
          var lookup = Ids.USERNAME.matcher(username).matches() ? users.get(username) : Future.<User>succeededFuture();
          return lookup.compose(user -> (user == null
                  ? passwords.verifyUnknownUser(password)
                  : passwords.verify(password, user.passwordHash()))
              .compose(valid -> {
                if (!valid) {
                  count("failure");
                  LOG.info("failed login for '{}' from {}", username, address);
                  return throttle.recordFailure(username, address)
                      .transform(ignored -> Future.failedFuture(
                          ApiException.unauthorized("invalid username or password")));
                }
                count("success");
                return throttle.reset(username).map(ignored -> issuer.issue(user.principal()));
              }));
        })
        .onSuccess(token -> {
          ctx.response().putHeader("Cache-Control", "no-store").putHeader("Pragma", "no-cache");
          ctx.json(new JsonObject().put("access_token", token).put("token_type", "Bearer")
              .put("expires_in", issuer.ttlSeconds()));
        })
        .onFailure(e -> ctx.fail(Requests.failure(e)));
  }

  /** The request as JSON, from a JSON body or an OAuth-style form body. */
  private static JsonObject form(RoutingContext ctx) {
    var type = ctx.request().getHeader("Content-Type");
    if (type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      var json = new JsonObject();
      ctx.request().formAttributes().forEach(entry -> json.put(entry.getKey(), entry.getValue()));
      return json;
    }
    return Requests.body(ctx);
  }

  private void count(String result) {
    Counter.builder("vigie.registry.logins").description("password logins by result").tag("result", result)
        .register(meters).increment();
  }
}
