package io.vigie.gateway.store;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script run by its SHA-1 ({@code EVALSHA}): loaded once ({@link #load}), and sent in full ({@code EVAL},
 * which caches it again) when Redis answers {@code NOSCRIPT} (a restarted or flushed script cache).
 */
final class LuaScript {
  private final String text;
  private final String sha;

  LuaScript(String text) {
    this.text = text;
    try {
      this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is missing from this JVM", e);
    }
  }

  Future<Void> load(Redis redis) {
    return redis.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(text)).mapEmpty();
  }

  /** The {@code EVALSHA} request, e.g. for a pipeline. */
  Request request(List<String> keys, List<String> args) {
    return withArguments(Request.cmd(Command.EVALSHA).arg(sha), keys, args);
  }

  Future<Response> run(Redis redis, List<String> keys, List<String> args) {
    return redis.send(request(keys, args)).recover(e -> isNoScript(e)
        ? redis.send(withArguments(Request.cmd(Command.EVAL).arg(text), keys, args))
        : Future.failedFuture(e));
  }

  static boolean isNoScript(Throwable e) {
    return e.getMessage() != null && e.getMessage().contains("NOSCRIPT"); // "ERR [0] NOSCRIPT …" in a pipeline
  }

  private static Request withArguments(Request request, List<String> keys, List<String> args) {
    request.arg(keys.size());
    keys.forEach(request::arg);
    args.forEach(request::arg);
    return request;
  }
}
