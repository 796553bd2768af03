package io.vigie.registry.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vigie.common.auth.VigiePrincipal;
import io.vigie.common.http.ApiException;
import io.vigie.common.http.HttpEdge;
import io.vigie.registry.auth.Passwords;
import io.vigie.registry.auth.TokenIssuer;
import io.vigie.registry.domain.Client;
import io.vigie.registry.domain.Ids;
import io.vigie.registry.store.ClientStore;
import io.vigie.registry.store.LoginThrottle;
import io.vigie.registry.store.UserStore;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/auth/token} (grants {@code password} and {@code client_credentials}) and
 * {@code GET /.well-known/jwks.json}. Both grants share the failed-login throttling (per username or client id
 * from one client address, and per client address) and answer unknown names exactly like wrong secrets. The client
 * address is the connection's, or the one the trusted proxies put in {@code X-Forwarded-For} ({@link HttpEdge}).
 */
public final class AuthRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(AuthRoutes.class);

  private final TokenIssuer issuer;
  private final Passwords passwords;
  private final UserStore users;
  private final ClientStore clients;
  private final LoginThrottle throttle;
  private final MeterRegistry meters;

  public AuthRoutes(TokenIssuer issuer, Passwords passwords, UserStore users, ClientStore clients,
                    LoginThrottle throttle, MeterRegistry meters) {
    this.issuer = issuer;
    this.passwords = passwords;
    this.users = users;
    this.clients = clients;
    this.throttle = throttle;
    this.meters = meters;
  }

  public void mount(Router router) {
    router.get("/.well-known/jwks.json").handler(ctx -> {
      ctx.response().putHeader("Cache-Control", "public, max-age=300");
      ctx.json(issuer.jwks());
    });
    router.post("/api/v1/auth/token").handler(Requests.bodies(8192)).handler(this::token);
  }

  /** Who asks for a token, and how to check its secret. */
  private record Credentials(String grant, String name, String secret) {}

  private void token(RoutingContext ctx) {
    var credentials = credentials(form(ctx));
    var address = HttpEdge.clientAddress(ctx);
    var name = credentials.name();

    throttle.retryAfter(name, address)
        .compose(wait -> {
          if (wait > 0) {
            count(credentials.grant(), "throttled");
            LOG.warn("token refused for '{}' from {}: too many failures, retry in {} s", name, address, wait);
            ctx.response().putHeader("Retry-After", String.valueOf(wait));
            return Future.failedFuture(new ApiException(429, "too_many_requests",
                "too many failed logins; retry in " + wait + " s"));
          }
          return principal(credentials).compose(principal -> {
            if (principal == null) {
              count(credentials.grant(), "failure");
              return throttle.recordFailure(name, address).transform(delay -> {
                if (delay.succeeded() && delay.result() > 0) {
                  LOG.warn("failed {} login for '{}' from {}: next try from there in {} s", credentials.grant(), name,
                      address, delay.result());
                } else {
                  LOG.info("failed {} login for '{}' from {}", credentials.grant(), name, address);
                }
                return Future.failedFuture(
                  ApiException.unauthorized("password".equals(credentials.grant())
                      ? "invalid username or password" : "invalid client credentials"));
              });
            }
            count(credentials.grant(), "success");
            return throttle.reset(name, address).map(ignored -> issuer.issue(principal));
          });
        })
        .onSuccess(token -> {
          ctx.response().putHeader("Cache-Control", "no-store").putHeader("Pragma", "no-cache");
          ctx.json(new JsonObject().put("access_token", token).put("token_type", "Bearer")
              .put("expires_in", issuer.ttlSeconds()));
        })
        .onFailure(e -> ctx.fail(Requests.failure(e)));
  }

  private static Credentials credentials(JsonObject request) {
    var grant = request.getValue("grant_type");
    if (grant == null) throw new ApiException(400, "invalid_request", "grant_type is required");
    String nameField;
    String secretField;
    if ("password".equals(grant)) {
      nameField = "username";
      secretField = "password";
    } else if ("client_credentials".equals(grant)) {
      nameField = "client_id";
      secretField = "client_secret";
    } else {
      throw new ApiException(400, "unsupported_grant_type", "grant_type must be password or client_credentials");
    }
    if (!(request.getValue(nameField) instanceof String name) || name.isEmpty() || name.length() > 128
        || !(request.getValue(secretField) instanceof String secret) || secret.isEmpty()) {
      throw new ApiException(400, "invalid_request", nameField + " and " + secretField + " are required (strings)");
    }
    if (secret.length() > 1024) throw new ApiException(400, "invalid_request", secretField + " is too long");
    return new Credentials((String) grant, name, secret);
  }

  /** The principal when the secret matches; null otherwise (unknown names cost the same as wrong secrets). */
  private Future<VigiePrincipal> principal(Credentials credentials) {
    if ("password".equals(credentials.grant())) {
      var lookup = Ids.USERNAME.matcher(credentials.name()).matches() ? users.get(credentials.name()) : Future.<io.vigie.registry.domain.User>succeededFuture();
      return lookup.compose(user -> user == null
          ? passwords.verifyUnknownUser(credentials.secret()).map(ignored -> null)
          : passwords.verify(credentials.secret(), user.passwordHash()).map(valid -> valid ? user.principal() : null));
    }
    var lookup = Client.isClientId(credentials.name()) ? clients.get(credentials.name()) : Future.<Client>succeededFuture();
    return lookup.compose(client -> client == null
        ? passwords.verifyUnknownUser(credentials.secret()).map(ignored -> null)
        : passwords.verify(credentials.secret(), client.secretHash()).map(valid -> valid ? client.principal() : null));
  }

  /** The request as JSON, from a JSON body or an OAuth-style form body. */
  private static JsonObject form(RoutingContext ctx) {
    var type = ctx.request().getHeader("Content-Type");
    if (type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      var json = new JsonObject();
      ctx.request().formAttributes().forEach(entry -> json.put(entry.getKey(), entry.getValue()));
      return json;
    }
    return Requests.body(ctx);
  }

  private void count(String grant, String result) {
    Counter.builder("vigie.registry.logins").description("token requests by grant and result")
        .tag("grant", grant).tag("result", result).register(meters).increment();
  }
}
