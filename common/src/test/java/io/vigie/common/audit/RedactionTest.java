package io.vigie.common.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.common.auth.Role;
import io.vigie.common.auth.VigiePrincipal;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Audit redaction")
class RedactionTest {
  private static final JsonObject CHANGED = new JsonObject().put("changed", true);

  @Test
  @DisplayName("changed fields show before and after, flattened by dotted name; equal fields are left out")
  void changes() {
    var before = new JsonObject().put("name", "Kitchen").put("kind", "room").put("scopes", new JsonArray().add("lyon"))
        .put("attributes", new JsonObject().put("floor", 1).put("setpoint", 4));
    var after = new JsonObject().put("name", "Cold room").put("kind", "room").put("scopes", new JsonArray().add("paris"))
        .put("attributes", new JsonObject().put("floor", 1));
    assertThat(Redaction.changes(before, after)).isEqualTo(new JsonObject()
        .put("attributes.setpoint", new JsonObject().put("from", 4).putNull("to"))
        .put("name", new JsonObject().put("from", "Kitchen").put("to", "Cold room"))
        .put("scopes", new JsonObject().put("from", new JsonArray().add("lyon")).put("to", new JsonArray().add("paris"))));
    assertThat(Redaction.changes(before, before.copy())).isEmpty();
  }

  @Test
  @DisplayName("keys, passwords, secrets and tokens, at any depth, only ever appear as {\"changed\":true}")
  void secrets() {
    var before = new JsonObject().put("activation", new JsonObject().put("appSKey", "s3cr3t-a").put("nwkSKey", "s3cr3t-n")
        .put("appKey", "s3cr3t-k")).put("password", "s3cr3t-p").put("passwordHash", "$argon2id$x");
    var after = new JsonObject().put("activation", new JsonObject().put("appSKey", "s3cr3t-b").put("nwkSKey", "s3cr3t-m")
        .put("appKey", "s3cr3t-l")).put("password", "s3cr3t-q").put("passwordHash", "$argon2id$y")
        .put("clientSecret", "s3cr3t-c").put("token", "s3cr3t-t").put("access_token", "s3cr3t-u");
    var changes = Redaction.changes(before, after);
    assertThat(changes.fieldNames()).containsExactlyInAnyOrder("activation.appSKey", "activation.nwkSKey", "activation.appKey",
        "password", "passwordHash", "clientSecret", "token", "access_token");
    changes.forEach(e -> assertThat(e.getValue()).isEqualTo(CHANGED));
    assertThat(changes.encode()).doesNotContain("s3cr3t").doesNotContain("argon2");
  }

  @Test
  @DisplayName("an event carries the actor and the place, and drops secrets from extra fields")
  void event() {
    var actor = new VigiePrincipal("alice", "acme", Role.ADMIN, List.of("lyon"));
    var json = AuditEvent.by(actor, "rotate-keys", "device", "70B3D5").place("acme", List.of("acme", "lyon"))
        .with("clientSecret", "s3cr3t").with("channel", new JsonObject().put("url", "https://x").put("secret", "s3cr3t"))
        .toJson();
    assertThat(json.getJsonObject("actor")).isEqualTo(new JsonObject().put("sub", "alice").put("role", "admin"));
    assertThat(json.getString("nodeId")).isEqualTo("lyon");
    assertThat(json.getJsonObject("channel")).isEqualTo(new JsonObject().put("url", "https://x"));
    assertThat(json.encode()).doesNotContain("s3cr3t");
  }
}
