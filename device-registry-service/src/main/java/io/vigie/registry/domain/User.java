package io.vigie.registry.domain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.common.auth.Role;
import io.vigie.common.auth.VigiePrincipal;
import java.util.List;

/** A user of one tenant. {@code passwordHash} is an Argon2id PHC string; never answered nor logged. */
public record User(String username, String tenant, Role role, List<String> scopes, String passwordHash) {

  public User {
    scopes = List.copyOf(scopes);
  }

  public VigiePrincipal principal() {
    return new VigiePrincipal(username, tenant, role, scopes);
  }

  public JsonObject toJson() {
    return new JsonObject().put("username", username).put("tenant", tenant).put("role", role.wire())
        .put("scopes", new JsonArray(scopes));
  }

  @Override
  public String toString() {
    return "User[" + username + ", tenant=" + tenant + ", role=" + role.wire() + ", scopes=" + scopes + "]";
  }
}
