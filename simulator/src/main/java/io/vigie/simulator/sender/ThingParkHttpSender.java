package io.vigie.simulator.sender;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vigie.simulator.Frame;

/**
 * ThingPark basic HTTPS connection: {@code POST /uplinks/thingpark}.
 * The answer is the outcome: 202 stored, 200 duplicate, 4xx refused (409 a replay), 5xx not taken now.
 */
public final class ThingParkHttpSender implements UplinkSender {
  public static final String NAME = "thingpark";
  private final HttpIngest ingest;

  public ThingParkHttpSender(Vertx vertx, String baseUrl, String ingestToken) {
    this.ingest = new HttpIngest(vertx, baseUrl, ingestToken);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<Outcome> send(Frame frame) {
    return ingest.post("/uplinks/thingpark", null, ThingParkUplinks.up(frame));
  }

  @Override
  public Future<Void> close() {
    return ingest.close();
  }
}
