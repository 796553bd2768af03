package io.vigie.platform;

import static io.vigie.platform.PlatformEndToEndTest.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.embedded.EmbeddedElasticsearch;
import io.vigie.embedded.EmbeddedMqttBroker;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.testing.RealElasticsearch;
import io.vigie.testing.RealMqtt;
import io.vigie.testing.RealRedis;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Every service of the platform (all in this JVM), its loggers at DEBUG, through a flow handling every kind of
 * secret: the admin password (right and wrong), JWTs, the integration secret, ABP session keys, a partner client's
 * secret, a live socket. Not one log line may hold one of them, or anything shaped like a JWT or an AES-128 key.
 */
@RealRedis
@RealElasticsearch
@RealMqtt
@DisplayName("No secret in any service's logs")
class PlatformLogLeakTest {
  private static final String ADMIN_PASSWORD = "leak-admin-password-42";
  private static final String WRONG_PASSWORD = "Summer2026!-almost-right";
  private static final String INGEST_TOKEN = "leak-ingest-secret-77";
  private static final String APP_S_KEY = "2b7e151628aed2a6abf7158809cf4f3c";
  private static final String NWK_S_KEY = "000102030405060708090a0b0c0d0e0f";

  /** Every event of every logger, formatted with its arguments, MDC and stack trace. */
  static final class Captured extends AppenderBase<ILoggingEvent> {
    final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();

    @Override
    protected void append(ILoggingEvent event) {
      var line = new StringBuilder(event.getLoggerName()).append(" - ").append(event.getFormattedMessage());
      if (!event.getMDCPropertyMap().isEmpty()) line.append(" mdc=").append(event.getMDCPropertyMap());
      if (event.getThrowableProxy() != null) line.append('\n').append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
      lines.add(line.toString());
    }
  }

  @Test
  @DisplayName("logins right and wrong, devices with session keys, uplinks, a partner client and a live socket leave no secret in the logs")
  void noSecretLogged(EmbeddedRedis redis, EmbeddedElasticsearch elasticsearch, EmbeddedMqttBroker mqtt) throws Exception {
    var context = (LoggerContext) LoggerFactory.getILoggerFactory();
    var captured = new Captured();
    captured.setContext(context);
    captured.start();
    var root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    var vigie = context.getLogger("io.vigie");
    var level = vigie.getLevel();
    root.addAppender(captured);
    vigie.setLevel(Level.DEBUG);
    var secrets = new ArrayList<>(List.of(ADMIN_PASSWORD, WRONG_PASSWORD, INGEST_TOKEN, APP_S_KEY, NWK_S_KEY));
    var clientVertx = Vertx.vertx();
    Platform platform = null;
    try {
      var overrides = new JsonObject()
          .put("http", new JsonObject().put("port", 0))
          .put("data", new JsonObject().put("dir", Files.createTempDirectory("vigie-leak").toString()))
          .put("redis", new JsonObject().put("url", redis.url() + "/9"))
          .put("elasticsearch", new JsonObject().put("url", elasticsearch.url()).put("indexPrefix", "leak-measurements"))
          .put("mqtt", new JsonObject().put("url", mqtt.url()))
          .put("udp", new JsonObject().put("port", 0))
          .put("auth", new JsonObject().put("adminPassword", ADMIN_PASSWORD))
          .put("ingest", new JsonObject().put("token", INGEST_TOKEN));
      platform = Platform.start(Map.of(), overrides, new PrintStream(new ByteArrayOutputStream()));
      var client = new PlatformClient(clientVertx, platform.port());

      boolean refused = join(client.token("admin", WRONG_PASSWORD).transform(r -> io.vertx.core.Future.succeededFuture(r.failed())));
      assertThat(refused).as("a wrong password is refused").isTrue();
      var token = join(client.token("admin", ADMIN_PASSWORD));
      secrets.add(token);
      join(client.registerFridge(token, "0101010101010101"));
      var abp = new JsonObject().put("devEui", "0b0b0b0b0b0b0b0b").put("name", "ABP probe").put("nodeId", "fridge-12")
          .put("type", "lpp-probe").put("activation", new JsonObject().put("mode", "ABP").put("devAddr", "00189440")
              .put("appSKey", APP_S_KEY).put("nwkSKey", NWK_S_KEY));
      assertThat(join(client.post(token, "/api/v1/devices", abp)).statusCode()).isEqualTo(201);
      var partner = join(client.post(token, "/api/v1/clients", new JsonObject().put("name", "Partner")
          .put("scopes", new JsonArray().add("site-paris"))));
      assertThat(partner.statusCode()).as(partner.bodyAsString()).isEqualTo(201);
      secrets.add(partner.bodyAsJsonObject().getString("client_secret"));

      var live = join(client.sockJs());
      join(live.register("telemetry.device.0101010101010101", token));
      join(live.register("telemetry.device.0101010101010101", "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJmb3JnZWQifQ.forgedsignature"));
      var uplink = PlatformClient.fixture("chirpstack-v4.uplink.json");
      assertThat(join(client.uplink(INGEST_TOKEN, uplink)).statusCode()).isEqualTo(202);
      assertThat(join(client.uplink("wrong-ingest-secret-00", uplink)).statusCode()).isEqualTo(401);
      var abpUplink = PlatformClient.fixture("chirpstack-v4.uplink.json");
      abpUplink.getJsonObject("deviceInfo").put("devEui", "0b0b0b0b0b0b0b0b");
      abpUplink.put("fCnt", 3).put("data", Base64.getEncoder().encodeToString(HexFormat.of().parseHex("016700eb")));
      assertThat(join(client.uplink(INGEST_TOKEN, abpUplink)).statusCode()).isEqualTo(202);
      await().atMost(Duration.ofSeconds(60)).until(() -> !live.received("telemetry.device.0101010101010101").isEmpty());
    } finally {
      if (platform != null) platform.close();
      clientVertx.close();
      root.detachAppender(captured);
      vigie.setLevel(level);
    }

    var lines = List.copyOf(captured.lines);
    assertThat(lines).as("the services logged something at all").hasSizeGreaterThan(20);
    assertThat(LogSecrets.leaks(lines, secrets)).isEmpty();
  }
}
