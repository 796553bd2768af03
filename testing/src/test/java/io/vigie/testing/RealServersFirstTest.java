package io.vigie.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigie.testing.infra.EmbeddedElasticsearch;
import io.vigie.testing.infra.EmbeddedMqttBroker;
import io.vigie.testing.infra.EmbeddedRedis;
import java.net.InetSocketAddress;
import java.net.Socket;
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

    try (RespClient client = new RespClient(redis.port())) {
      assertThat(client.command("PING")).isEqualTo("PONG");
    }
    assertThat(Http.get(elasticsearch.url() + "/_cluster/health").statusCode()).isEqualTo(200);
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", mqtt.port()), 2000);
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
