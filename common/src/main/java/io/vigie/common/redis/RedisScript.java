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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Lua script called by its SHA1 ({@code EVALSHA}), loaded once ({@code SCRIPT LOAD}) and again when Redis lost it
 * (restart, fail-over, {@code SCRIPT FLUSH}: {@code NOSCRIPT}). {@link #batch} sends many calls as ONE pipeline,
 * which Redis runs in order; a pipeline answered {@code NOSCRIPT} ran none of its calls, so it is sent again once
 * the script is loaded.
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
    return load().compose(v -> redis.batch(requests(calls))).recover(failure -> {
      if (failure.getMessage() == null || !failure.getMessage().contains("NOSCRIPT")) return Future.failedFuture(failure);
      LOG.info("Redis lost the {} script (restart, fail-over or SCRIPT FLUSH): loading it again", name);
      loaded = null;
      return load().compose(v -> redis.batch(requests(calls)));
    });
  }

  private List<Request> requests(List<Call> calls) {
    var requests = new ArrayList<Request>(calls.size());
    for (var call : calls) {
      var request = Request.cmd(Command.EVALSHA).arg(sha).arg(call.keys().size());
      call.keys().forEach(request::arg);
      call.args().forEach(request::arg);
      requests.add(request);
    }
    return requests;
  }

  private Future<Void> load() {
    var current = loaded;
    if (current != null && !current.failed()) return current;
    Future<Void> loading = redis.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(text)).mapEmpty();
    loaded = loading;
    return loading;
  }

  static String sha1(String script) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is part of every Java runtime", e);
    }
  }
}
