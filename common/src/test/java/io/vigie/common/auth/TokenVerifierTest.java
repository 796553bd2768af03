package io.vigie.common.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.common.Addresses;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Token verification")
class TokenVerifierTest {
  final Vertx vertx = Vertx.vertx();
  final VigiePrincipal alice = new VigiePrincipal("alice", "acme", Role.VIEWER, List.of("site-paris"));

  @AfterEach
  void close() {
    vertx.close();
  }

  @Test
  @DisplayName("a token signed with a key the registry publishes later is accepted once the keys are fetched again, "
      + "and unknown key ids do not make every request ask the registry")
  void keyRotation() throws Exception {
    var current = TestTokens.create(vertx, "key-1");
    var next = TestTokens.create(vertx, "key-2");
    var published = new AtomicReference<>(new JsonArray().add(current.jwk()));
    var fetches = new AtomicInteger();
    vertx.eventBus().<JsonObject>consumer(Addresses.REGISTRY_JWKS, message -> {
      fetches.incrementAndGet();
      message.reply(new JsonObject().put("keys", published.get()));
    });
    var verifier = new TokenVerifier(vertx, 0);

    assertThat(verifier.verify(current.token(alice)).await(10, TimeUnit.SECONDS)).isEqualTo(alice);
    published.set(new JsonArray().add(current.jwk()).add(next.jwk()));
    assertThat(verifier.verify(next.token(alice)).await(10, TimeUnit.SECONDS)).isEqualTo(alice);
    assertThat(fetches.get()).isEqualTo(2);

    var rateLimited = new TokenVerifier(vertx);
    assertThat(rateLimited.verify(current.token(alice)).await(10, TimeUnit.SECONDS)).isEqualTo(alice);
    var stranger = TestTokens.create(vertx, "key-3");
    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> rateLimited.verify(stranger.token(alice)).await(10, TimeUnit.SECONDS));
    }
    assertThat(fetches.get()).as("unknown key ids: at most one fetch per 30 s").isEqualTo(3);
  }

  @Test
  @DisplayName("a token signed by a key the registry does not publish is refused")
  void foreignKey() {
    var registry = TestTokens.create(vertx, "key-1").serveJwks(vertx);
    var forger = TestTokens.create(vertx, "key-1");
    var verifier = new TokenVerifier(vertx);
    assertThatThrownBy(() -> verifier.verify(forger.token(alice)).await(10, TimeUnit.SECONDS));
    assertThat(registry).isNotNull();
  }
}
