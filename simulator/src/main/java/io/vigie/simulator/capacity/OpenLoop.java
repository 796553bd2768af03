package io.vigie.simulator.capacity;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An open-loop sender of request bodies built beforehand: request {@code i} is due {@code i / rate} seconds after the
 * start, whatever the answers of the earlier ones (a request waits for a free connection of the bounded pool, HTTP/1.1
 * keep-alive, no pipelining). Several lanes, each a verticle with its own client on its own event loop, share the
 * schedule (lane {@code k} sends requests {@code k, k + lanes, …}). Records, per request, when it got a connection
 * and was written ({@link #sentNanos}), when its answer came ({@link #ackNanos}) and its status (0: no answer), and how
 * far the lanes fell behind the schedule ({@link #maxLagNanos}): a lane that is late is the generator's limit, not the
 * platform's.
 */
final class OpenLoop {

  private final Buffer[] bodies;
  private final double rate;
  final long[] sentNanos;
  final long[] ackNanos;
  final short[] status;
  private final AtomicInteger answered = new AtomicInteger();
  private volatile long maxLagNanos;
  private volatile long startNanos;
  /** Set by {@link #run} before the lanes start. */
  private RequestOptions request;
  private int lanes;
  private int connectionsPerLane;

  OpenLoop(Buffer[] bodies, double rate) {
    this.bodies = bodies;
    this.rate = rate;
    this.sentNanos = new long[bodies.length];
    this.ackNanos = new long[bodies.length];
    this.status = new short[bodies.length];
  }

  /** When request {@code i} is due. */
  long dueNanos(int i) {
    return startNanos + (long) (i * 1e9 / rate);
  }

  long startNanos() {
    return startNanos;
  }

  long maxLagNanos() {
    return maxLagNanos;
  }

  int answered() {
    return answered.get();
  }

  /**
   * Starts at {@code startNanos} ({@link System#nanoTime()}); completes once every request is answered or failed: a
   * request that waited {@code timeoutMs} for a connection, or as long for its answer, fails (as a network server's
   * HTTP integration gives up), so an overloaded step ends.
   */
  Future<Void> run(Vertx vertx, String baseUrl, String path, String ingestToken, int lanes, int connections,
                   long timeoutMs, long startNanos) {
    this.startNanos = startNanos;
    this.lanes = lanes;
    this.connectionsPerLane = Math.max(1, connections / lanes);
    var uri = URI.create(baseUrl);
    request = new RequestOptions().setMethod(HttpMethod.POST).setHost(uri.getHost()).setPort(uri.getPort())
        .setURI(path).setIdleTimeout(timeoutMs).setConnectTimeout(timeoutMs)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + ingestToken);
    var done = new ArrayList<Future<?>>();
    var ids = new ArrayList<Future<String>>();
    for (int k = 0; k < lanes; k++) {
      var lane = new Lane(k);
      ids.add(vertx.deployVerticle(lane));
      done.add(lane.finished.future());
    }
    return Future.all(ids).compose(deployed -> Future.all(done))
        .eventually(() -> Future.join(ids.stream().map(id -> id.succeeded() ? vertx.undeploy(id.result()) : Future.succeededFuture()).toList()))
        .mapEmpty();
  }

  /** Lane {@code k} sends requests {@code k, k + lanes, k + 2 × lanes…}. */
  private final class Lane extends VerticleBase {
    private final Promise<Void> finished = Promise.promise();
    private HttpClient client;
    private int next;
    private int pending;
    private long timer;

    Lane(int k) {
      this.next = k;
    }

    @Override
    public Future<?> start() {
      client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setPipelining(false),
          new PoolOptions().setHttp1MaxSize(connectionsPerLane).setMaxWaitQueueSize(-1));
      pending = (bodies.length - next + lanes - 1) / lanes;
      if (pending <= 0) finished.complete();
      // a tick per request or per millisecond, whichever is longer (at most 10 ms): cheap at low rates, smooth at high ones
      timer = vertx.setPeriodic(Math.max(1, Math.min(10, (long) (1000 * lanes / rate))), id -> tick());
      return Future.succeededFuture();
    }

    private void tick() {
      var now = System.nanoTime();
      if (now < startNanos) return;
      while (next < bodies.length && dueNanos(next) <= now) {
        var lag = now - dueNanos(next);
        if (lag > maxLagNanos) maxLagNanos = lag;
        send(next);
        next += lanes;
      }
      if (next >= bodies.length) vertx.cancelTimer(timer);
    }

    private void send(int i) {
      var body = bodies[i];
      bodies[i] = null;
      client.request(request)
          .compose(request -> {
            sentNanos[i] = System.nanoTime();
            return request.send(body);
          })
          .compose(response -> {
            ackNanos[i] = System.nanoTime();
            status[i] = (short) response.statusCode();
            return response.end();
          })
          .onComplete(result -> {
            answered.incrementAndGet();
            if (--pending == 0) finished.complete();
          });
    }

    @Override
    public Future<?> stop() {
      return client.close();
    }
  }
}
