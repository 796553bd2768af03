package io.vigie.registry.domain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.common.auth.Role;
import io.vigie.common.auth.VigiePrincipal;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * A partner client of one tenant: a machine that gets tokens with the {@code client_credentials} grant.
 * {@code secretHash} is an Argon2id PHC string; the secret itself is shown once, when the client is created.
 */
public record Client(String clientId, String tenant, String name, Role role, List<String> scopes, String secretHash,
                     String createdAt) {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  public Client {
    scopes = List.copyOf(scopes);
  }

  /** A new client id: {@code vc_} and 20 random characters. Usernames may not start with {@code vc_}. */
  public static String newId() {
    var bytes = new byte[15];
    RANDOM.nextBytes(bytes);
    return "vc_" + B64URL.encodeToString(bytes).replace('-', 'x').replace('_', 'y');
  }

  /** A new secret: 32 random bytes, base64url. */
  public static String newSecret() {
    var bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return B64URL.encodeToString(bytes);
  }

  public static boolean isClientId(String s) {
    return s != null && s.matches("vc_[A-Za-z0-9]{20}");
  }

  public VigiePrincipal principal() {
    return new VigiePrincipal(clientId, tenant, role, scopes);
  }

  /** The API form, never with the secret or its hash. */
  public JsonObject toJson() {
    return new JsonObject().put("client_id", clientId).put("name", name).put("tenant", tenant)
        .put("role", role.wire()).put("scopes", new JsonArray(scopes)).put("createdAt", createdAt);
  }

  @Override
  public String toString() {
    return "Client[" + clientId + ", tenant=" + tenant + ", role=" + role.wire() + ", scopes=" + scopes + "]";
  }
}
