package io.vigie.platform;

import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The tests' own Elasticsearch requests: one that meets a monthly index created a moment ago, whose shard is not
 * started yet ({@code 503 no_shard_available_action_exception}), is sent again until the shard answers (30 s at most).
 */
final class ShardReady {
  private ShardReady() {
  }

  static HttpResponse<String> send(HttpClient http, HttpRequest request) {
    var answer = new AtomicReference<HttpResponse<String>>();
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      answer.set(http.send(request, BodyHandlers.ofString()));
      return answer.get().statusCode() != 503;
    });
    return answer.get();
  }
}
