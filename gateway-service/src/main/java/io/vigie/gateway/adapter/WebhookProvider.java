package io.vigie.gateway.adapter;

import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * One network server's JSON integration (Hono style: one class per network server). The same provider reads the
 * HTTP webhook body and, where the network server has one, the MQTT message: it is the one place that knows the
 * network server's format. Validation, authentication, limits and the answer are shared (see {@code WebhookRoutes},
 * {@code IngestPipeline}).
 */
public interface WebhookProvider {

  /** The adapter name: the {@code source} of its uplinks and the {@code adapter} tag of the metrics. */
  String adapter();

  /** The HTTP path of the webhook. */
  String path();

  /** Said in the 415 answer when the network server posts another encoding than JSON. */
  String encodingHint();

  /**
   * What the query string alone says, before the body is read: null when the body decides, else the name of an
   * event to accept and ignore.
   *
   * @param parameter the query parameters by name
   * @throws InvalidUplinkException when the query names no valid event
   */
  default String ignoredByQuery(Function<String, String> parameter) {
    return null;
  }

  /**
   * What an MQTT topic name alone says, before the payload is read: null when the payload decides, else the name
   * of an event to acknowledge and ignore (a subscription wider than the uplink topic).
   */
  default String ignoredByTopic(String topic) {
    return null;
  }

  /** The fields {@link #read} looks at (the parser skips the others), or null to build the whole body. */
  default JsonShape shape() {
    return null;
  }

  /**
   * Reads one message body.
   *
   * @throws InvalidUplinkException naming the field that is missing or malformed
   */
  Incoming read(JsonObject body);
}
