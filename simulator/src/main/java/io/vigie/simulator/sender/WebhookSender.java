package io.vigie.simulator.sender;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vigie.simulator.Frame;
import java.util.function.Function;

/**
 * A network server's HTTP integration posting to the platform's webhook: ChirpStack v4
 * ({@code POST /uplinks/chirpstack?event=up}), The Things Stack v3 ({@code POST /uplinks/ttn}) or ThingPark
 * ({@code POST /uplinks/thingpark}). The answer is the outcome: 202 stored, 200 duplicate, 4xx refused (409 a
 * replay), 5xx not taken now.
 */
public final class WebhookSender implements UplinkSender {
  public static final String CHIRPSTACK = "chirpstack";
  public static final String TTN = "ttn";
  public static final String THINGPARK = "thingpark";

  private final String name;
  private final String path;
  private final String query;
  private final Function<Frame, JsonObject> body;
  private final HttpIngest ingest;

  private WebhookSender(String name, String path, String query, Function<Frame, JsonObject> body, Vertx vertx,
                        String baseUrl, String ingestToken) {
    this.name = name;
    this.path = path;
    this.query = query;
    this.body = body;
    this.ingest = new HttpIngest(vertx, baseUrl, ingestToken);
  }

  public static WebhookSender chirpStack(Vertx vertx, String baseUrl, String ingestToken) {
    return new WebhookSender(CHIRPSTACK, "/uplinks/chirpstack", "event=up", ChirpStackUplinks::up, vertx, baseUrl,
        ingestToken);
  }

  public static WebhookSender tts(Vertx vertx, String baseUrl, String ingestToken) {
    return new WebhookSender(TTN, "/uplinks/ttn", null, TtsUplinks::up, vertx, baseUrl, ingestToken);
  }

  public static WebhookSender thingPark(Vertx vertx, String baseUrl, String ingestToken) {
    return new WebhookSender(THINGPARK, "/uplinks/thingpark", null, ThingParkUplinks::up, vertx, baseUrl, ingestToken);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Future<Outcome> send(Frame frame) {
    return ingest.post(path, query, body.apply(frame));
  }

  @Override
  public Future<Void> close() {
    return ingest.close();
  }
}
