package io.vigie.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vigie.embedded.EmbeddedElasticsearch;
import io.vigie.embedded.EmbeddedMqttBroker;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.embedded.FreePorts;
import io.vigie.embedded.InfraFiles;
import io.vigie.testing.RealMqtt;
import io.vigie.testing.RealRedis;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Elasticsearch down for a minute while a network server keeps posting: the platform keeps answering 202 (the
 * uplinks wait in the ingest log) and stores every one of them once Elasticsearch is back.
 *
 * <p>The test runs an Elasticsearch of its own (not the shared one of {@code testing}, which other classes use) and
 * stops its <em>process</em> for real ({@link EmbeddedElasticsearch#close()}: SIGTERM, the node shuts down), then
 * starts a new process on the same HTTP port and the same data folder, so the platform keeps its URL and finds its
 * indices again. Nothing sits between the platform and Elasticsearch: the platform sees connections refused, then a
 * node booting, as in production.
 */
@RealRedis
@RealMqtt
@DisplayName("Elasticsearch stopped for a minute while uplinks keep arriving")
class ElasticsearchOutageTest {
  static final List<String> DEVICES = List.of("0d0d0d0d0d0d0d01", "0d0d0d0d0d0d0d02", "0d0d0d0d0d0d0d03", "0d0d0d0d0d0d0d04",
      "0d0d0d0d0d0d0d05");
  static final Duration OUTAGE = Duration.ofSeconds(60);
  /** The integration secret, the admin's password, the index prefix: "outage-…". */
  static final String NAME = "outage";
  static final String INDEX_PREFIX = NAME + "-measurements";
  static Path esDir;
  static int esPort;
  static EmbeddedElasticsearch elasticsearch;
  static Platform platform;
  static Vertx vertx;

  @BeforeAll
  static void start(EmbeddedRedis redis, EmbeddedMqttBroker mqtt) throws Exception {
    esDir = Path.of(System.getProperty("vigie.test.workdir", "target/vigie-test")).resolve("outage-elasticsearch");
    InfraFiles.deleteTree(esDir);
    esPort = FreePorts.find();
    elasticsearch = EmbeddedElasticsearch.start(esDir, esPort, null);
    var overrides = new JsonObject()
        .put("http", new JsonObject().put("port", 0))
        .put("data", new JsonObject().put("dir", Files.createTempDirectory("vigie-outage").toString()))
        .put("redis", new JsonObject().put("url", redis.url() + "/5"))
        .put("elasticsearch", new JsonObject().put("url", elasticsearch.url()).put("indexPrefix", INDEX_PREFIX))
        .put("mqtt", new JsonObject().put("url", mqtt.url()).put("clientId", "vigie-gateway-outage-test"))
        .put("udp", new JsonObject().put("port", 0))
        .put("auth", new JsonObject().put("adminPassword", NAME + "-admin-password"))
        .put("ingest", new JsonObject().put("token", NAME + "-ingest-secret"));
    platform = Platform.start(Map.of(), overrides, new PrintStream(new ByteArrayOutputStream()));
    vertx = Vertx.vertx();
    ClusteredServicesTest.join(UplinkStream.register(new PlatformClient(vertx, platform.port()), NAME + "-admin-password", DEVICES));
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) ClusteredServicesTest.join(vertx.close());
    if (platform != null) platform.close();
    if (elasticsearch != null) elasticsearch.close();
  }

  @Test
  @DisplayName("5 uplinks a second from 5 devices are all answered 202 within a second while Elasticsearch is stopped "
      + "for 60 s, and once it is started again every one of them is stored exactly once")
  void everyUplinkStoredOnceAfterTheOutage() throws Exception {
    var stream = new UplinkStream(vertx, platform.port(), NAME + "-ingest-secret", DEVICES).start(5);
    await().atMost(Duration.ofSeconds(60)).until(() -> stream.accepted.size() >= 10
        && UplinkStream.copies(elasticsearch.url(), INDEX_PREFIX, stream.accepted).size() >= 5);

    elasticsearch.close();
    var stoppedAt = System.nanoTime();
    var beforeOutage = stream.accepted.size();
    await().atMost(OUTAGE.plusSeconds(60)).pollInterval(Duration.ofSeconds(1))
        .until(() -> System.nanoTime() - stoppedAt >= OUTAGE.toNanos());
    assertThat(stream.accepted.size() - beforeOutage).as("accepted while Elasticsearch was down")
        .isGreaterThanOrEqualTo(200);

    elasticsearch = EmbeddedElasticsearch.start(esDir, esPort, null);   // same port, same data: the platform's URL
    ClusteredServicesTest.join(stream.stop());
    var accepted = List.copyOf(stream.accepted);
    assertThat(stream.others).as("every uplink answered 202").isEmpty();
    assertThat(accepted).hasSize(stream.sent()).doesNotHaveDuplicates();
    assertThat(stream.slowestAcceptedMs()).as("the slowest 202, in ms").isLessThan(1000);

    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
        .until(() -> UplinkStream.copies(elasticsearch.url(), INDEX_PREFIX, accepted).size() == accepted.size());
    var copies = UplinkStream.copies(elasticsearch.url(), INDEX_PREFIX, accepted);
    assertThat(copies.entrySet()).as("each id stored once").allSatisfy(entry -> assertThat(entry.getValue()).isEqualTo(1));
    assertThat(UplinkStream.count(elasticsearch.url(), INDEX_PREFIX, DEVICES)).as("nothing else stored for these devices")
        .isEqualTo(accepted.size());
  }
}
