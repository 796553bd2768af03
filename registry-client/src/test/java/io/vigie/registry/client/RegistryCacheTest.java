package io.vigie.registry.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The cache of registry answers")
class RegistryCacheTest {
  private static final long TTL_MS = 60_000;
  private static final long UNKNOWN_TTL_MS = 5_000;

  private final AtomicLong nanos = new AtomicLong(1_000);
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final AtomicInteger asked = new AtomicInteger();

  private RegistryCache<String, String> cache(int size) {
    return new RegistryCache<>(size, TTL_MS, UNKNOWN_TTL_MS, nanos::get, new CacheMetrics(meters, "test", "things"));
  }

  /** A registry that answers at once: the value, or null ("unknown"). */
  private Future<String> answer(String value) {
    asked.incrementAndGet();
    return Future.succeededFuture(value);
  }

  /** The cache's answer for {@code key}, the registry answering {@code value} if it is asked. */
  private String lookUp(RegistryCache<String, String> cache, String key, String value) {
    return cache.get(key, () -> answer(value)).result();
  }

  private void advanceMs(long ms) {
    nanos.addAndGet(ms * 1_000_000L);
  }

  @Test
  @DisplayName("an answer is used for exactly its time to live, then the registry is asked again")
  void timeToLive() {
    var cache = cache(10);
    assertThat(lookUp(cache, "a", "A")).isEqualTo("A");

    advanceMs(TTL_MS - 1);
    assertThat(lookUp(cache, "a", "A2")).isEqualTo("A");
    advanceMs(1);
    assertThat(lookUp(cache, "a", "A2")).isEqualTo("A2");
    assertThat(asked).hasValue(2);
    assertThat(count("vigie.registry.cache.hits")).isEqualTo(1.0);
    assertThat(count("vigie.registry.cache.misses")).isEqualTo(2.0);
  }

  @Test
  @DisplayName("an unknown answer is remembered for the shorter unknown time to live")
  void unknownRemembered() {
    var cache = cache(10);
    assertThat(lookUp(cache, "ghost", null)).isNull();

    advanceMs(UNKNOWN_TTL_MS - 1);
    assertThat(lookUp(cache, "ghost", "created")).as("still unknown").isNull();
    advanceMs(1);
    assertThat(lookUp(cache, "ghost", "created")).isEqualTo("created");
    assertThat(asked).hasValue(2);
  }

  @Test
  @DisplayName("when full, the least recently used answer goes first")
  void bounded() {
    var cache = cache(2);
    List.of("a", "b", "a", "c").forEach(key -> lookUp(cache, key, key.toUpperCase()));
    assertThat(cache.size()).isEqualTo(2);

    asked.set(0);
    List.of("a", "c").forEach(key -> lookUp(cache, key, "again"));
    assertThat(asked).as("a and c are still cached").hasValue(0);
    assertThat(lookUp(cache, "b", "B again")).isEqualTo("B again");
    assertThat(asked).as("b was dropped").hasValue(1);
  }

  @Test
  @DisplayName("lookups of one key while the registry is being asked share that one request")
  void inFlightShared() {
    var cache = cache(10);
    var requests = new ArrayList<Promise<String>>();
    var first = cache.get("a", () -> held(requests));
    var second = cache.get("a", () -> held(requests));
    var other = cache.get("b", () -> held(requests));

    assertThat(requests).hasSize(2);
    requests.get(0).complete("A");
    assertThat(List.of(first.result(), second.result())).containsExactly("A", "A");
    assertThat(other.isComplete()).isFalse();
    assertThat(cache.get("a", () -> held(requests)).result()).isEqualTo("A");
    assertThat(requests).hasSize(2);
  }

  @Test
  @DisplayName("an answer that was on its way during an invalidation is given to its callers but not kept")
  void answerDuringInvalidation() {
    var cache = cache(10);
    var requests = new ArrayList<Promise<String>>();
    var first = cache.get("a", () -> held(requests));
    cache.invalidate("a");
    var second = cache.get("a", () -> held(requests));

    assertThat(requests).as("a lookup after the invalidation does not join the older one").hasSize(2);
    requests.get(0).complete("old");
    requests.get(1).complete("new");
    assertThat(first.result()).isEqualTo("old");
    assertThat(second.result()).isEqualTo("new");
    assertThat(cache.get("a", () -> held(requests)).result()).isEqualTo("new");
  }

  @Test
  @DisplayName("a failed lookup is not kept: the next one asks again")
  void failureNotKept() {
    var cache = cache(10);
    var failed = cache.get("a", () -> Future.failedFuture(new IllegalStateException("registry down")));

    assertThat(failed.failed()).isTrue();
    assertThat(lookUp(cache, "a", "A")).isEqualTo("A");
    assertThat(asked).hasValue(1);
  }

  @Test
  @DisplayName("an invalidation drops only the answers it selects, unknown ones included, and counts them")
  void invalidation() {
    var cache = cache(10);
    lookUp(cache, "a", "keep");
    lookUp(cache, "b", "drop");
    lookUp(cache, "c", null);

    var dropped = cache.invalidate((key, value) -> value == null || value.equals("drop"));

    assertThat(dropped).isEqualTo(2);
    assertThat(cache.size()).isEqualTo(1);
    assertThat(count("vigie.registry.cache.invalidations")).isEqualTo(2.0);
    assertThat(lookUp(cache, "a", "other")).isEqualTo("keep");
  }

  private static Future<String> held(List<Promise<String>> requests) {
    Promise<String> promise = Promise.promise();
    requests.add(promise);
    return promise.future();
  }

  private double count(String name) {
    return meters.get(name).tags("service", "test", "cache", "things").counter().count();
  }
}
