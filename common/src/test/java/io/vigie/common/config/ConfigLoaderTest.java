package io.vigie.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Configuration")
class ConfigLoaderTest {
  final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close();
  }

  JsonObject load(Map<String, String> env, JsonObject overrides) throws Exception {
    return ConfigLoader.load(vertx, env, overrides).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("without anything set, the YAML defaults apply")
  void defaults() throws Exception {
    var config = VigieConfig.from(load(Map.of(), null));
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.dataDir()).isEqualTo(Path.of("./data"));
    assertThat(config.redisUrl()).isNull();
    assertThat(config.cluster().enabled()).isFalse();
    assertThat(VigieConfig.decimal(config.raw(), "alert.temperatureAbove", 0)).isEqualTo(8.0);
  }

  @Test
  @DisplayName("a VIGIE_CONFIG file overrides the defaults, environment variables override the file, overrides win")
  void layering(@TempDir Path dir) throws Exception {
    var file = dir.resolve("vigie.yaml");
    Files.writeString(file, "http:\n  port: 9000\nredis:\n  url: redis://file:6379\nelasticsearch:\n  url: http://file:9200\n");
    var raw = load(Map.of("VIGIE_CONFIG", file.toString(), "VIGIE_REDIS_URL", "redis://env:6379",
        "VIGIE_CLUSTER", "true", "VIGIE_CLUSTER_MEMBERS", "10.0.0.1:5701, 10.0.0.2:5701"),
        new JsonObject().put("elasticsearch", new JsonObject().put("url", "http://override:9200")));
    var config = VigieConfig.from(raw);
    assertThat(config.httpPort()).isEqualTo(9000);
    assertThat(config.redisUrl()).isEqualTo("redis://env:6379");
    assertThat(config.elasticsearchUrl()).isEqualTo("http://override:9200");
    assertThat(config.cluster().enabled()).isTrue();
    assertThat(config.cluster().members()).containsExactly("10.0.0.1:5701", "10.0.0.2:5701");
  }

  @Test
  @DisplayName("a port that is not a number is refused with the variable's meaning in the message")
  void badPort() throws Exception {
    var raw = load(Map.of("VIGIE_HTTP_PORT", "eighty"), null);
    assertThatThrownBy(() -> VigieConfig.from(raw)).hasMessageContaining("http.port").hasMessageContaining("eighty");
  }

  @Test
  @DisplayName("a VIGIE_CONFIG file that does not exist fails the start clearly")
  void missingFile() {
    var loaded = ConfigLoader.load(vertx, Map.of("VIGIE_CONFIG", "/nonexistent/vigie.yaml"), null);
    assertThatThrownBy(() -> loaded.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS))
        .hasMessageContaining("/nonexistent/vigie.yaml");
  }

  @Test
  @DisplayName("without VIGIE_CLUSTER_NAME, deployments with different Redis get different cluster names, and the Redis password is not in it")
  void clusterNameDefault() throws Exception {
    var one = VigieConfig.from(load(Map.of("VIGIE_REDIS_URL", "redis://:s3cret@127.0.0.1:6379/0"), null)).cluster().name();
    var again = VigieConfig.from(load(Map.of("VIGIE_REDIS_URL", "redis://:s3cret@127.0.0.1:6379/0"), null)).cluster().name();
    var other = VigieConfig.from(load(Map.of("VIGIE_REDIS_URL", "redis://127.0.0.1:6380"), null)).cluster().name();
    assertThat(one).startsWith("vigie-").isEqualTo(again).isNotEqualTo(other).doesNotContain("s3cret");
    var named = VigieConfig.from(load(Map.of("VIGIE_REDIS_URL", "redis://127.0.0.1:6380", "VIGIE_CLUSTER_NAME", "plant-7"), null));
    assertThat(named.cluster().name()).isEqualTo("plant-7");
  }
}
