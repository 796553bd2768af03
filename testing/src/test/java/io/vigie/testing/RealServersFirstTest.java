package io.vigie.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigie.embedded.EmbeddedElasticsearch;
import io.vigie.embedded.EmbeddedMqttBroker;
import io.vigie.embedded.EmbeddedRedis;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

@Order(1)
@RealRedis
@RealElasticsearch
@RealMqtt
@DisplayName("@RealRedis @RealElasticsearch @RealMqtt on a test class (constructor and test method injection)")
class RealServersFirstTest {

  private final EmbeddedRedis redis;
  private final EmbeddedElasticsearch elasticsearch;
  private final EmbeddedMqttBroker mqtt;

  RealServersFirstTest(EmbeddedRedis redis, EmbeddedElasticsearch elasticsearch, EmbeddedMqttBroker mqtt) {
    this.redis = redis;
    this.elasticsearch = elasticsearch;
    this.mqtt = mqtt;
    SeenServers.redis = redis;
    SeenServers.elasticsearch = elasticsearch;
    SeenServers.mqtt = mqtt;
  }

  @Test
  @DisplayName("injects the JVM's running servers into the constructor")
  void constructorInjection() throws Exception {
    assertThat(redis).isSameAs(Infra.redis());
    assertThat(elasticsearch).isSameAs(Infra.elasticsearch());
    assertThat(mqtt).isSameAs(Infra.mqtt());

    assertThat(firstLineOfAnswer(redis.port(), "PING\r\n")).isEqualTo("+PONG");
    assertThat(firstLineOfAnswer(elasticsearch.port(), "GET /_cluster/health HTTP/1.0\r\n\r\n")).contains(" 200 ");
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", mqtt.port()), 2000);
    }
  }

  /** Sends {@code request} to 127.0.0.1:{@code port} and returns the first line of the answer. */
  private static String firstLineOfAnswer(int port, String request) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
    }
  }

  @Test
  @DisplayName("injects the same servers into test method parameters")
  void methodInjection(EmbeddedRedis redis, EmbeddedElasticsearch elasticsearch, EmbeddedMqttBroker mqtt) {
    assertThat(redis).isSameAs(this.redis);
    assertThat(elasticsearch).isSameAs(this.elasticsearch);
    assertThat(mqtt).isSameAs(this.mqtt);
  }
}
