package io.vigie.alert.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.alert.notify.domain.Channel;
import io.vigie.alert.notify.domain.Severity;
import io.vigie.alert.notify.domain.Transition;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Webhook signatures and transitions")
class SignatureTest {

  @Test
  @DisplayName("signs with HMAC-SHA256 as RFC 4231 test case 2 says, as sha256=<hex>")
  void rfc4231() {
    var signature = Signature.of("what do ya want for nothing?".getBytes(StandardCharsets.UTF_8), "Jefe");

    assertThat(signature).isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }

  @Test
  @DisplayName("reads a transition whose path lists ids or {id,…} objects, ending with its node")
  void paths() {
    var ids = Transition.parse(new JsonObject().put("id", "a").put("tenantId", "t").put("transition", "opened")
        .put("severity", "minor").put("path", new JsonArray().add("t").add("site")).put("nodeId", "room")
        .encode());
    var objects = Transition.parse(new JsonObject().put("id", "a").put("tenant", "t").put("transition", "cleared")
        .put("path", new JsonArray().add(new JsonObject().put("id", "t").put("name", "ACME"))).encode());

    assertThat(ids.pathIds()).containsExactly("t", "site", "room");
    assertThat(ids.severity()).isEqualTo(Severity.MINOR);
    assertThat(objects.pathIds()).containsExactly("t");
    assertThat(objects.tenant()).isEqualTo("t");
  }

  @Test
  @DisplayName("a channel's minSeverity lets through that severity and the more severe ones only")
  void minSeverity() {
    var channel = Channel.parse("c", "t", new JsonObject().put("nodeId", "n").put("kind", "webhook")
        .put("url", "https://example.com/hook").put("secret", "0123456789abcdef").put("minSeverity", "major"), null);

    assertThat(channel.accepts(Severity.CRITICAL)).isTrue();
    assertThat(channel.accepts(Severity.MAJOR)).isTrue();
    assertThat(channel.accepts(Severity.MINOR)).isFalse();
    assertThat(channel.accepts(Severity.WARNING)).isFalse();
    assertThat(channel.toString()).doesNotContain("0123456789abcdef");
  }
}
