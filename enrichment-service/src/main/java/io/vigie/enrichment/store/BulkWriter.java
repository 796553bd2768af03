package io.vigie.enrichment.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vigie.common.http.ApiException;
import io.vigie.common.metrics.Latency;
import io.vigie.enrichment.config.EnrichmentConfig;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes documents with {@code op_type=create} in bulk requests of at most {@code maxDocs} documents, merging the
 * batches of all partitions: a request is sent when {@code maxDocs} wait, or once the first of them waited the
 * linger ({@link Linger}: twice the recent bulk request time, at most {@code maxDelay}), {@code concurrency} requests
 * at most in flight. A batch after a quiet time (no request in flight, none sent for a linger) is sent at once: a lone
 * uplink waits for nobody, while under load the batches of several partitions gather into requests of hundreds of
 * documents, which is what keeps Elasticsearch's cost per document near its raw {@code _bulk} cost.
 *
 * <p>Each caller learns what became of <em>its</em> document from the bulk answer's item: created (201), already
 * there (409: a duplicate), refused (another 4xx: a 500 for that caller only), or retried (429, 5xx). A request that
 * fails as a whole because Elasticsearch is unreachable, overloaded or failing is retried with exponential backoff
 * (100 ms doubling to 5 s, with jitter), as long as its caller waits. A caller that waited {@code ackTimeout} gets a
 * 503 and its documents not yet written leave the queue: the caller's upstream (the ingest log) sends them again;
 * beyond {@code maxPending} documents accepted and not yet stored, callers get a 503 at once.
 *
 * <p>A verticle so that the queue lives on its own Vert.x context; callers may come from any.
 */
public final class BulkWriter extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(BulkWriter.class);
  private static final long FIRST_BACKOFF_MS = 100;
  private static final long MAX_BACKOFF_MS = 5000;

  private final Elasticsearch es;
  private final EnrichmentConfig.Bulk limits;
  private final ArrayDeque<Item> waiting = new ArrayDeque<>();
  /** Accepted and not yet settled (waiting, in flight or backing off): what {@code maxPending} bounds. */
  private final AtomicInteger pending = new AtomicInteger();
  private final Counter requests;
  private final Counter retries;
  private final Counter rejected;
  private final Timer duration;
  private int inFlight;
  private long lingerTimer = -1;
  /** When the oldest document waiting arrived, and when the last request was sent (nanoTime). */
  private long firstWaitingAt;
  private long lastSentAt;
  private Linger lingerTime;
  private boolean closed;
  /** Why the last bulk request failed as a whole; null once one got an answer. */
  private volatile String outage;

  private static final class Item {
    final String index;
    final String id;
    final Buffer source;
    final CompletableFuture<Boolean> done = new CompletableFuture<>();
    /** An earlier attempt may have written it (no answer came): a 409 then is not a duplicate. */
    boolean maybeWritten;

    Item(String index, String id, Buffer source) {
      this.index = index;
      this.id = id;
      this.source = source;
    }
  }

  public BulkWriter(Elasticsearch es, EnrichmentConfig.Bulk limits, MeterRegistry meters) {
    this.es = es;
    this.limits = limits;
    this.requests = Counter.builder("vigie.enrichment.bulk.requests").description("Bulk requests sent to Elasticsearch")
        .register(meters);
    this.retries = Counter.builder("vigie.enrichment.bulk.retries")
        .description("Bulk requests retried (Elasticsearch unreachable, 429 or 5xx)").register(meters);
    this.rejected = Counter.builder("vigie.enrichment.bulk.rejected")
        .description("Measurements refused at once because too many wait for Elasticsearch").register(meters);
    this.duration = Latency.timer(meters, "vigie.enrichment.bulk.duration",
        "Bulk requests to Elasticsearch, sent to answered (each attempt)");
    Gauge.builder("vigie.enrichment.bulk.pending", pending, AtomicInteger::get)
        .description("Measurements accepted and not yet stored").register(meters);
  }

  /** One document to create. */
  public record Doc(String index, String id, JsonObject source) {}

  /**
   * Creates the documents, in one bulk request when they fit in {@code maxDocs}; succeeds with, per document, true
   * when it was already there (answered on the caller's context). Under load they may wait {@code maxDelay} for the
   * documents of other batches (one request for all). Fails as a whole (503) when they are not
   * all stored within {@code ackTimeout}: the documents not yet written are then dropped from the queue, so that the
   * caller's retry stores them (and finds none of them twice).
   */
  public Future<List<Boolean>> createAll(List<Doc> docs) {
    var caller = vertx.getOrCreateContext();
    if (docs.isEmpty()) return Future.succeededFuture(List.of());
    if (pending.addAndGet(docs.size()) > limits.maxPending()) {
      pending.addAndGet(-docs.size());
      rejected.increment(docs.size());
      return Future.failedFuture(ApiException.unavailable(docs.size() + " measurements not accepted: "
          + limits.maxPending() + " measurements already wait for Elasticsearch" + (outage == null ? "" : " (" + outage + ")")));
    }
    var items = new ArrayList<Item>(docs.size());
    for (var doc : docs) items.add(new Item(doc.index(), doc.id(), doc.source().toBuffer()));
    var all = CompletableFuture.allOf(items.stream().map(item -> item.done).toArray(CompletableFuture[]::new));
    context.runOnContext(v -> enqueue(items));
    long timer = vertx.setTimer(limits.ackTimeoutMs(), t -> {
      var late = ApiException.unavailable(docs.size() + " measurements not all stored after " + limits.ackTimeoutMs()
          + " ms" + (outage == null ? "" : " (" + outage + ")") + ": the batch is to be sent again");
      items.forEach(item -> item.done.completeExceptionally(late));
    });
    all.whenComplete((ok, failure) -> vertx.cancelTimer(timer));
    return Future.fromCompletionStage(all, caller)
        .recover(e -> Future.failedFuture(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e))
        .map(v -> items.stream().map(item -> item.done.join()).toList());
  }

  /** Succeeds while Elasticsearch takes writes and the queue has room: part of readiness. */
  public Future<Void> healthy() {
    var why = outage;
    if (why != null) return Future.failedFuture("Elasticsearch writes are failing (" + why + "), " + pending.get() + " measurements wait");
    if (pending.get() >= limits.maxPending()) return Future.failedFuture("the write queue is full (" + pending.get() + " measurements)");
    return Future.succeededFuture();
  }

  public int pending() {
    return pending.get();
  }

  @Override
  public Future<?> start() {
    lingerTime = new Linger(limits.maxDelayMs());
    lastSentAt = System.nanoTime() - limits.maxDelayMs() * 1_000_000;
    return Future.succeededFuture();
  }

  /** Refuses new documents and fails those still waiting with 503 (their callers were not acknowledged). */
  @Override
  public Future<?> stop() {
    closed = true;
    Item item;
    while ((item = waiting.poll()) != null) settle(item, null, ApiException.unavailable("the service is stopping"));
    return Future.succeededFuture();
  }

  private void enqueue(List<Item> items) {
    if (closed) {
      items.forEach(item -> settle(item, null, ApiException.unavailable("the service is stopping")));
      return;
    }
    if (waiting.isEmpty()) firstWaitingAt = System.nanoTime();
    waiting.addAll(items);
    boolean quiet = inFlight == 0 && System.nanoTime() - lastSentAt >= lingerNanos();
    if (quiet || waiting.size() >= limits.maxDocs()) flush(); else linger();
  }

  /** Sends what waits once the oldest document waiting has waited {@code maxDelay}. */
  private void linger() {
    if (lingerTimer >= 0 || waiting.isEmpty()) return;
    long left = lingerNanos() - (System.nanoTime() - firstWaitingAt);
    if (left <= 0) {
      flush();
      return;
    }
    lingerTimer = vertx.setTimer(Math.max(1, left / 1_000_000), t -> {
      lingerTimer = -1;
      flush();
    });
  }

  private long lingerNanos() {
    return lingerTime.nanos();
  }

  private void flush() {
    if (lingerTimer >= 0) {
      vertx.cancelTimer(lingerTimer);
      lingerTimer = -1;
    }
    while (inFlight < limits.concurrency() && !waiting.isEmpty()) {
      var batch = new ArrayList<Item>(Math.min(limits.maxDocs(), waiting.size()));
      while (batch.size() < limits.maxDocs() && !waiting.isEmpty()) {
        var item = waiting.poll();
        if (abandoned(item)) continue;
        batch.add(item);
      }
      if (batch.isEmpty()) return;
      inFlight++;
      lastSentAt = System.nanoTime();
      send(batch, 0);
    }
  }

  private void send(List<Item> batch, int attempt) {
    requests.increment();
    var lines = Buffer.buffer(batch.size() * 512);
    for (var item : batch) {
      lines.appendString(new JsonObject().put("create", new JsonObject().put("_index", item.index).put("_id", item.id)).encode())
          .appendByte((byte) '\n').appendBuffer(item.source).appendByte((byte) '\n');
    }
    long started = System.nanoTime();
    es.bulk(lines).onComplete(answer -> {
      var took = System.nanoTime() - started;
      duration.record(took, TimeUnit.NANOSECONDS);
      if (answer.succeeded()) lingerTime.answered(took);
      LOG.debug("bulk of {} documents ({} bytes, attempt {}) answered in {} ms", batch.size(), lines.length(), attempt,
          (System.nanoTime() - started) / 1_000_000);
      if (answer.succeeded()) {
        answered(batch, answer.result(), attempt);
      } else {
        failed(batch, answer.cause(), attempt);
      }
    });
  }

  private void answered(List<Item> batch, JsonObject response, int attempt) {
    if (outage != null) LOG.info("Elasticsearch takes writes again; {} measurements wait", pending.get());
    outage = null;
    var items = response.getJsonArray("items");
    var again = new ArrayList<Item>();
    for (int i = 0; i < batch.size(); i++) {
      var item = batch.get(i);
      var result = items == null || i >= items.size() ? null : items.getJsonObject(i).getJsonObject("create");
      int status = result == null ? 0 : result.getInteger("status", 0);
      if (status == 200 || status == 201) {
        settle(item, false, null);
      } else if (status == 409) {
        settle(item, !item.maybeWritten, null);
      } else if (status == 0 || status == 429 || status >= 500) {
        again.add(item);
      } else {
        var error = result.getJsonObject("error", new JsonObject());
        LOG.error("Elasticsearch refused measurement {} in {}: {} {}", item.id, item.index, error.getString("type"), error.getString("reason"));
        settle(item, null, new ApiException(500, "internal_error", "Elasticsearch refused measurement " + item.id + " ("
            + status + " " + error.getString("type") + ": " + error.getString("reason") + ")"));
      }
    }
    if (again.isEmpty()) {
      done();
    } else {
      LOG.debug("{} of {} measurements refused for now (429/5xx), retrying", again.size(), batch.size());
      retryLater(again, attempt + 1);
    }
  }

  private void failed(List<Item> batch, Throwable cause, int attempt) {
    var error = Elasticsearch.EsError.of(cause);
    if (!error.retriable()) {
      var failure = Elasticsearch.failure("write " + batch.size() + " measurements", cause);
      batch.forEach(item -> settle(item, null, failure));
      done();
      return;
    }
    if (!Elasticsearch.notSent(cause) && error.status() != 429 && error.status() != 503) {
      batch.forEach(item -> item.maybeWritten = true);
    }
    var why = error.status() > 0 ? error.status() + " " + error.type() : error.reason();
    if (outage == null) {
      LOG.warn("Elasticsearch bulk request failed ({}): {} measurements held and retried until it answers", why, pending.get());
    }
    outage = why;
    retryLater(batch, attempt + 1);
  }

  private void retryLater(List<Item> batch, int attempt) {
    retries.increment();
    long backoff = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS << Math.min(attempt - 1, 16));
    long delay = Math.max(1, (long) (backoff * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble())));
    vertx.setTimer(delay, t -> {
      if (closed) {
        batch.forEach(item -> settle(item, null, ApiException.unavailable("the service is stopping")));
        done();
      } else {
        var live = batch.stream().filter(item -> !abandoned(item)).toList();
        if (live.isEmpty()) {
          done();
        } else {
          send(live, attempt);
        }
      }
    });
  }

  /** Its caller gave up waiting (and sends it again later): dropped from the queue and settled. */
  private boolean abandoned(Item item) {
    if (!item.done.isDone()) return false;
    pending.decrementAndGet();
    return true;
  }

  /** A request finished: a full bulk goes at once, fewer documents wait out their linger. */
  private void done() {
    inFlight--;
    if (closed || waiting.isEmpty()) return;
    if (waiting.size() >= limits.maxDocs()) flush(); else linger();
  }

  private void settle(Item item, Boolean duplicate, Throwable failure) {
    pending.decrementAndGet();
    if (failure == null) {
      item.done.complete(duplicate);
    } else {
      item.done.completeExceptionally(failure);
    }
  }
}
