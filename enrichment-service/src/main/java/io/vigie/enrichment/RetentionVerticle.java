package io.vigie.enrichment;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vigie.enrichment.store.IndexRetention;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the index retention at start and then every day; a failed pass is logged and tried again the next day. */
final class RetentionVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(RetentionVerticle.class);
  static final long PERIOD_MS = 24 * 60 * 60 * 1000L;

  private final IndexRetention retention;
  private final int months;

  RetentionVerticle(IndexRetention retention, int months) {
    this.retention = retention;
    this.months = months;
  }

  @Override
  public Future<?> start() {
    LOG.info("retention: monthly indices more than {} months old are deleted at start and every day", months);
    vertx.setTimer(1, t -> pass());
    vertx.setPeriodic(PERIOD_MS, t -> pass());
    return Future.succeededFuture();
  }

  private void pass() {
    retention.run()
        .onSuccess(deleted -> LOG.info("retention: {} index(es) past {} months deleted", deleted.size(), months))
        .onFailure(e -> LOG.warn("retention pass failed, next one in a day: {}", e.getMessage()));
  }
}
