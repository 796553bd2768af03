package io.vigie.alert.notify;

import static java.util.concurrent.TimeUnit.SECONDS;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.LinkedBlockingQueue;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A real HTTP receiver of webhooks, as a customer would run one: records every request per path, answers the
 * statuses queued for a path first (then 200), and tells whether a request's signature holds for a secret.
 */
public final class WebhookReceiver {
  /** One request as received, and when ({@link System#nanoTime()}). */
  public record Received(String path, Map<String, String> headers, String body, long nanos) {
    public JsonObject json() {
      return new JsonObject(body);
    }

    /** Verifies {@code X-Vigie-Signature} over the raw body, as the receiver's documentation shows. */
    public boolean signedWith(String secret) throws Exception {
      var mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      var expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
      return java.security.MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
          String.valueOf(headers.get("x-vigie-signature")).getBytes(StandardCharsets.US_ASCII));
    }
  }

  private final HttpServer server;
  private final Map<String, BlockingQueue<Received>> received = new ConcurrentHashMap<>();
  private final Map<String, ConcurrentLinkedDeque<Integer>> answers = new ConcurrentHashMap<>();

  public WebhookReceiver(Vertx vertx) throws Exception {
    server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      var headers = new ConcurrentHashMap<String, String>();
      request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
      of(request.path()).add(new Received(request.path(), headers, body.toString(StandardCharsets.UTF_8), System.nanoTime()));
      var status = answers.getOrDefault(request.path(), new ConcurrentLinkedDeque<>()).poll();
      request.response().setStatusCode(status == null ? 200 : status).end();
    })).listen(0, "127.0.0.1").await(10, SECONDS);
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  /** The next answers to requests on {@code path}, in order; 200 afterwards. */
  public void answer(String path, Integer... statuses) {
    answers.computeIfAbsent(path, p -> new ConcurrentLinkedDeque<>()).addAll(List.of(statuses));
  }

  public BlockingQueue<Received> of(String path) {
    return received.computeIfAbsent(path, p -> new LinkedBlockingQueue<>());
  }

  /** The next request on {@code path}, failing after 10 s. */
  public Received next(String path) throws InterruptedException {
    var request = of(path).poll(10, SECONDS);
    if (request == null) throw new AssertionError("no webhook request on " + path + " within 10 s");
    return request;
  }

  public void close() {
    server.close();
  }
}
