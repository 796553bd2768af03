package io.vigie.gateway.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Coverage-guided fuzzing of the three network servers' body readers, as the webhook routes and the MQTT ingest call
 * them: the bytes of a body → {@link JsonBodies#object} with the provider's {@link JsonShape} → {@link
 * WebhookProvider#read} (docs/fuzzing.md). The contract: any body is either read (an uplink that encodes to the bus's
 * JSON, or an event to ignore) or refused with an {@link InvalidUplinkException}; anything else thrown is a crash. And
 * the shape changes nothing: the whole body parsed as it is reads the same. In the suite the seeds of {@code
 * WebhookReadersFuzzTestInputs/<method>/} (the fixtures of real bodies) and any crash file found there run; {@code
 * bench/fuzz} fuzzes.
 */
class WebhookReadersFuzzTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T06:00:00Z"), ZoneOffset.UTC);

  @FuzzTest
  @DictionaryFile(resourcePath = "webhook-bodies.dict")
  void chirpStack(byte[] body) {
    readOrRefuse(new ChirpStackV4(CLOCK), body);
  }

  @FuzzTest
  @DictionaryFile(resourcePath = "webhook-bodies.dict")
  void theThingsStack(byte[] body) {
    readOrRefuse(new TtsV3(CLOCK), body);
  }

  @FuzzTest
  @DictionaryFile(resourcePath = "webhook-bodies.dict")
  void thingPark(byte[] body) {
    readOrRefuse(new ThingPark(CLOCK), body);
  }

  private static void readOrRefuse(WebhookProvider provider, byte[] bytes) {
    var shaped = read(provider, bytes, provider.shape());
    if (provider.shape() != null) {
      assertThat(read(provider, bytes, null)).as("the body parsed whole reads the same").isEqualTo(shaped);
    }
  }

  /** What the provider makes of the body: the incoming message, or {@code REFUSED}. */
  private static Object read(WebhookProvider provider, byte[] bytes, JsonShape shape) {
    try {
      var incoming = provider.read(JsonBodies.object(Buffer.buffer(bytes), "a fuzzed body", shape));
      if (incoming instanceof Incoming.Up up) {
        assertThat(up.uplink().toJson().encode()).contains(up.uplink().devEui());
      }
      return incoming;
    } catch (InvalidUplinkException refused) {
      assertThat(refused.getMessage()).isNotBlank();
      assertThat(refused.reason()).isNotBlank();
      return "REFUSED";
    }
  }
}
