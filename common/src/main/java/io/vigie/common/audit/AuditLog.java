package io.vigie.common.audit;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes audit events to the Redis stream {@value #STREAM} (field {@value #FIELD}, trimmed to about
 * {@value #MAX_LENGTH} entries), right after the change they record succeeded. device-registry-service indexes them
 * into Elasticsearch (consumer group {@code audit}) and serves {@code GET /api/v1/audit}.
 */
public final class AuditLog {
  private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
  public static final String STREAM = "vigie:audit";
  public static final String FIELD = "event";
  public static final long MAX_LENGTH = 1_000_000;

  private final Redis redis;

  public AuditLog(Redis redis) {
    this.redis = redis;
  }

  /** Appends the event; a failure is logged (with what was done, never a secret) and reported. */
  public Future<Void> record(AuditEvent event) {
    var json = event.toJson();
    return redis.send(Request.cmd(Command.XADD).arg(STREAM).arg("MAXLEN").arg("~").arg(MAX_LENGTH).arg("*")
            .arg(FIELD).arg(json.encode()))
        .<Void>mapEmpty()
        .onFailure(e -> LOG.warn("audit event not recorded: {} {} {} by {}: {}", json.getString("action"),
            json.getString("kind"), json.getString("targetId"), json.getJsonObject("actor").getString("sub"), e.getMessage()));
  }
}
