package io.vigie.common.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Who calls: a user or a partner client, from the claims of a verified token.
 *
 * @param scopes node ids; a grant on a node covers its whole subtree
 */
public record VigiePrincipal(String subject, String tenant, Role role, List<String> scopes) {

  public VigiePrincipal {
    scopes = List.copyOf(scopes);
  }

  /** The claims Vigie puts in a token (besides the registered ones). */
  public JsonObject claims() {
    return new JsonObject().put("sub", subject).put("tenant", tenant).put("role", role.wire())
        .put("scopes", new JsonArray(scopes));
  }

  public static VigiePrincipal fromClaims(JsonObject claims) {
    var scopes = claims.getJsonArray("scopes", new JsonArray()).stream().map(String::valueOf).toList();
    var tenant = claims.getString("tenant");
    var subject = claims.getString("sub");
    if (tenant == null || subject == null) throw new IllegalArgumentException("token lacks tenant or subject");
    return new VigiePrincipal(subject, tenant, Role.fromWire(claims.getString("role")), scopes);
  }
}
