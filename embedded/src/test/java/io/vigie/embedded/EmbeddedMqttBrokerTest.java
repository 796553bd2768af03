package io.vigie.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.util.Version;
import io.vertx.mqtt.messages.MqttPublishMessage;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("EmbeddedMqttBroker")
class EmbeddedMqttBrokerTest {

  @TempDir
  Path workDir;

  @Test
  @DisplayName("runs on the Netty 4.2 that Vert.x 5 brings")
  void runsOnNetty42() {
    assertThat(Version.identify().get("netty-codec-mqtt").artifactVersion()).startsWith("4.2.");
    assertThat(Version.identify().get("netty-transport").artifactVersion()).startsWith("4.2.");
  }

  @Test
  @DisplayName("delivers a QoS 1 message from a publisher to a subscriber")
  void qos1RoundTrip() throws Exception {
    MqttPublishMessage message = relay("vigie/+/uplink", "vigie/dev-1/uplink", "{\"temperature\":21.5}");

    assertThat(message.topicName()).isEqualTo("vigie/dev-1/uplink");
    assertThat(message.qosLevel()).isEqualTo(MqttQoS.AT_LEAST_ONCE);
    assertThat(message.payload().toString(StandardCharsets.UTF_8)).isEqualTo("{\"temperature\":21.5}");
  }

  @Test
  @DisplayName("accepts messages far larger than Moquette's 8 KiB default")
  void largeMessages() throws Exception {
    String payload = "x".repeat(500_000);

    assertThat(relay("large", "large", payload).payload().length()).isEqualTo(payload.length());
  }

  /** On a broker of its own: a subscriber to {@code filter}, a publisher of {@code payload} on {@code topic}. */
  private MqttPublishMessage relay(String filter, String topic, String payload) throws Exception {
    try (EmbeddedMqttBroker broker = EmbeddedMqttBroker.start(workDir, 0);
        MqttTestClient subscriber = MqttTestClient.connect(broker.port(), "subscriber", true);
        MqttTestClient publisher = MqttTestClient.connect(broker.port(), "publisher", true)) {
      assertThat(subscriber.subscribe(filter, MqttQoS.AT_LEAST_ONCE)).containsExactly(1);
      publisher.publish(topic, payload, MqttQoS.AT_LEAST_ONCE, false);
      return subscriber.nextMessage();
    }
  }

  @Test
  @DisplayName("keeps retained messages and persistent sessions across a restart on the same work directory")
  void persistsAcrossRestart() throws Exception {
    try (EmbeddedMqttBroker broker = EmbeddedMqttBroker.start(workDir, 0)) {
      try (MqttTestClient durable = MqttTestClient.connect(broker.port(), "durable", false)) {
        durable.subscribe("alerts", MqttQoS.AT_LEAST_ONCE);
      }
      // the broker handles a DISCONNECT on its own threads: publish only once the session is offline, so the
      // message is queued for it rather than sent to the closing connection
      await().atMost(Duration.ofSeconds(30)).until(() -> !broker.connectedClientIds().contains("durable"));
      try (MqttTestClient publisher = MqttTestClient.connect(broker.port(), "publisher", true)) {
        publisher.publish("status/gateway-1", "online", MqttQoS.AT_LEAST_ONCE, true);
        // queued for the disconnected persistent session
        publisher.publish("alerts", "battery low", MqttQoS.AT_LEAST_ONCE, false);
      }
    }

    try (EmbeddedMqttBroker broker = EmbeddedMqttBroker.start(workDir, 0)) {
      try (MqttTestClient durable = MqttTestClient.connect(broker.port(), "durable", false)) {
        MqttPublishMessage queued = durable.nextMessage();
        assertThat(queued.topicName()).isEqualTo("alerts");
        assertThat(queued.payload().toString(StandardCharsets.UTF_8)).isEqualTo("battery low");
      }
      try (MqttTestClient late = MqttTestClient.connect(broker.port(), "late", true)) {
        late.subscribe("status/#", MqttQoS.AT_LEAST_ONCE);
        MqttPublishMessage retained = late.nextMessage();
        assertThat(retained.topicName()).isEqualTo("status/gateway-1");
        assertThat(retained.payload().toString(StandardCharsets.UTF_8)).isEqualTo("online");
      }
    }
  }

  @Test
  @DisplayName("serves tcp://127.0.0.1:<port>, frees its port on close, and close is idempotent")
  void close() throws IOException {
    EmbeddedMqttBroker broker = EmbeddedMqttBroker.start(workDir, 0);
    int port = broker.port();
    assertThat(broker.url()).isEqualTo("tcp://127.0.0.1:" + port);
    broker.close();
    broker.close();
    assertThatThrownBy(() -> {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      }
    }).isInstanceOf(ConnectException.class);
  }

  @Test
  @DisplayName("fails clearly when the requested port is taken")
  void portTaken() throws IOException {
    try (EmbeddedMqttBroker first = EmbeddedMqttBroker.start(workDir.resolve("first"), 0)) {
      assertThatThrownBy(() -> EmbeddedMqttBroker.start(workDir.resolve("second"), first.port()))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("could not start on 127.0.0.1:" + first.port());
    }
  }
}
