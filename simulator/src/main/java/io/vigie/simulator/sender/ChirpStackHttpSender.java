package io.vigie.simulator.sender;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vigie.simulator.Frame;

/**
 * ChirpStack v4 HTTP integration: {@code POST /uplinks/chirpstack?event=up}.
 * The answer is the outcome: 202 stored, 200 duplicate, 4xx refused (409 a replay), 5xx not taken now.
 */
public final class ChirpStackHttpSender implements UplinkSender {
  public static final String NAME = "chirpstack";
  private final HttpIngest ingest;

  public ChirpStackHttpSender(Vertx vertx, String baseUrl, String ingestToken) {
    this.ingest = new HttpIngest(vertx, baseUrl, ingestToken);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<Outcome> send(Frame frame) {
    return ingest.post("/uplinks/chirpstack", "event=up", ChirpStackUplinks.up(frame));
  }

  @Override
  public Future<Void> close() {
    return ingest.close();
  }
}
