package io.vigie.common.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Lua script called by its SHA1 ({@code EVALSHA}), loaded once ({@code SCRIPT LOAD}) and again when Redis lost it
 * (restart, fail-over, {@code SCRIPT FLUSH}: {@code NOSCRIPT}). {@link #batch} sends many calls as ONE pipeline,
 * which Redis runs in order; a pipeline answered {@code NOSCRIPT} ran none of its calls, so it is sent again once
 * the script is loaded. {@link #call} is one call; {@link #callThen} one call followed by plain commands in the same
 * pipeline.
 *
 * <p>On a Redis Cluster ({@link ClusterRedis}) every call's keys must share one slot (hash tags); the script is loaded
 * on every master, and {@link #batch} sends one pipeline per node, all at once (still one round trip), each node's
 * calls sent again alone when that node answered {@code NOSCRIPT}; {@link #callThen} sends the call and the commands
 * side by side.
 */
public final class RedisScript {
  private static final Logger LOG = LoggerFactory.getLogger(RedisScript.class);

  /** The keys and arguments of one call. */
  public record Call(List<String> keys, List<String> args) {}

  private final Redis redis;
  private final String name;
  private final String text;
  private final String sha;
  private volatile Future<Void> loaded;

  public RedisScript(Redis redis, String name, String text) {
    this.redis = redis;
    this.name = name;
    this.text = text;
    this.sha = sha1(text);
  }

  public String sha() {
    return sha;
  }

  /** The answers of the calls, in order, from one round trip (two more when the script must be loaded first). */
  public Future<List<Response>> batch(List<Call> calls) {
    if (calls.isEmpty()) return Future.succeededFuture(List.of());
    if (redis instanceof ClusterRedis cluster) {
      return cluster.batchPerNode(requests(calls), group -> loadedThen(() -> cluster.batch(group), () -> cluster.batch(group)));
    }
    return loadedThen(() -> redis.batch(requests(calls)), () -> redis.batch(requests(calls)));
  }

  /** The answer of one call. */
  public Future<Response> call(List<String> keys, List<String> args) {
    var call = new Call(keys, args);
    return loadedThen(() -> redis.send(request(call)), () -> redis.send(request(call)));
  }

  /**
   * The answer of one call sent in ONE pipeline with plain commands that follow it (on keys of other slots, say). Redis
   * runs the commands even when it answers the call {@code NOSCRIPT}: then only the call is sent again.
   */
  public Future<Response> callThen(Call call, List<Request> commands) {
    if (redis instanceof ClusterRedis cluster) {
      var answer = call(call.keys(), call.args());
      return Future.all(answer, cluster.batch(commands)).map(both -> answer.result());
    }
    return loadedThen(() -> {
      var requests = new ArrayList<Request>(1 + commands.size());
      requests.add(request(call));
      requests.addAll(commands);
      return redis.batch(requests).map(answers -> answers.get(0));
    }, () -> redis.send(request(call)));
  }

  /** Loads the script now (else at its first call), e.g. to tell at start whether Redis answers. */
  public Future<Void> load() {
    var current = loaded;
    if (current != null && !current.failed()) return current;
    var request = Request.cmd(Command.SCRIPT).arg("LOAD").arg(text);
    Future<Void> loading = redis instanceof ClusterRedis cluster ? cluster.onAllMasters(request).mapEmpty()
        : redis.send(request).mapEmpty();
    loaded = loading;
    return loading;
  }

  /** {@code send} once the script is loaded; on {@code NOSCRIPT}, {@code again} once it is loaded again. */
  private <T> Future<T> loadedThen(Supplier<Future<T>> send, Supplier<Future<T>> again) {
    return load().compose(v -> send.get()).recover(failure -> {
      if (failure.getMessage() == null || !failure.getMessage().contains("NOSCRIPT")) return Future.failedFuture(failure);
      LOG.info("Redis lost the {} script (restart, fail-over or SCRIPT FLUSH): loading it again", name);
      loaded = null;
      return load().compose(v -> again.get());
    });
  }

  private List<Request> requests(List<Call> calls) {
    var requests = new ArrayList<Request>(calls.size());
    for (var call : calls) requests.add(request(call));
    return requests;
  }

  private Request request(Call call) {
    var request = Request.cmd(Command.EVALSHA).arg(sha).arg(call.keys().size());
    call.keys().forEach(request::arg);
    call.args().forEach(request::arg);
    return request;
  }

  static String sha1(String script) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is part of every Java runtime", e);
    }
  }
}
