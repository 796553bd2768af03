package io.vigie.decoder.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TtlCacheTest {
  private final AtomicLong nanos = new AtomicLong(1_000);

  @Test
  @DisplayName("an entry lives exactly its time to live")
  void expiry() {
    var cache = new TtlCache<String, String>(10, nanos::get);
    cache.put("a", "A", 1000);

    nanos.addAndGet(999_999_999L);
    assertThat(cache.get("a")).isEqualTo("A");
    nanos.addAndGet(1);
    assertThat(cache.get("a")).isNull();
    assertThat(cache.size()).isZero();
  }

  @Test
  @DisplayName("when full, the least recently used entry goes first")
  void bounded() {
    var cache = new TtlCache<String, String>(2, nanos::get);
    cache.put("a", "A", 60_000);
    cache.put("b", "B", 60_000);
    cache.get("a");
    cache.put("c", "C", 60_000);

    assertThat(cache.get("b")).isNull();
    assertThat(cache.get("a")).isEqualTo("A");
    assertThat(cache.get("c")).isEqualTo("C");
  }

  @Test
  @DisplayName("entries can be removed one by one or all at once")
  void removal() {
    var cache = new TtlCache<String, String>(10, nanos::get);
    cache.put("a", "A", 60_000);
    cache.put("b", "B", 60_000);

    cache.remove("a");
    assertThat(cache.get("a")).isNull();
    assertThat(cache.get("b")).isEqualTo("B");
    cache.clear();
    assertThat(cache.size()).isZero();
  }
}
