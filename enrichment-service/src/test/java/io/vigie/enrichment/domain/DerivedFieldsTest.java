package io.vigie.enrichment.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DerivedFieldsTest {
  private static final Instant T = Instant.parse("2026-11-29T10:00:00Z");

  @Test
  @DisplayName("the first uplink derives nothing; the next ones the time since the previous and the frames lost")
  void sequence() {
    var first = DerivedFields.next(null, 7, T);
    assertThat(first.derived()).isEqualTo(new JsonObject());

    var second = DerivedFields.next(first.last(), 8, T.plusSeconds(600));
    assertThat(second.derived()).isEqualTo(new JsonObject().put("fCntGap", 0L).put("sincePreviousMs", 600_000L));

    var gap = DerivedFields.next(second.last(), 12, T.plusSeconds(3000));
    assertThat(gap.derived()).isEqualTo(new JsonObject().put("fCntGap", 3L).put("sincePreviousMs", 2_400_000L));
  }

  @Test
  @DisplayName("a re-delivery gets the same fields as the first delivery; a late frame gets none and changes nothing")
  void redeliveryAndLateFrames() {
    var previous = DerivedFields.next(null, 7, T).last();
    var second = DerivedFields.next(previous, 9, T.plusSeconds(60));

    var again = DerivedFields.next(second.last(), 9, T.plusSeconds(60));
    assertThat(again.derived()).isEqualTo(second.derived());

    var late = DerivedFields.next(second.last(), 8, T.plusSeconds(30));
    assertThat(late.derived()).isEqualTo(new JsonObject());
    assertThat(late.last()).isEqualTo(second.last());
  }

  @Test
  @DisplayName("a device that restarted its counter gets the time since its previous uplink but no gap")
  void counterReset() {
    var before = DerivedFields.next(null, 5000, T).last();
    var reset = DerivedFields.next(before, 1, T.plusSeconds(900));
    assertThat(reset.derived()).isEqualTo(new JsonObject().put("sincePreviousMs", 900_000L));
    assertThat(reset.last().fCnt()).isEqualTo(1);
  }
}
