package io.vigie.enrichment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import io.vigie.embedded.EmbeddedElasticsearch;
import io.vigie.testing.RealElasticsearch;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@RealElasticsearch
class RetentionTest {
  private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy.MM");

  @Test
  @DisplayName("at start, the monthly indices whose whole month is older than the retention are deleted; recent months and other names stay")
  void deletesExpiredMonths(EmbeddedElasticsearch elasticsearch) throws Exception {
    var prefix = Harness.newPrefix("retention");
    var now = YearMonth.now(ZoneOffset.UTC);
    var current = prefix + "-acme-" + now.format(MONTH);
    var kept = prefix + "-acme-" + now.minusMonths(2).format(MONTH);
    var expired = prefix + "-acme-" + now.minusMonths(3).format(MONTH);
    var old = prefix + "-acme-2020.01";
    var otherTenant = prefix + "-globex-2019.12";
    var notMonthly = prefix + "-acme-archive";
    var otherPrefix = prefix + "x-acme-2019.01";
    var client = HttpClient.newHttpClient();
    for (var index : List.of(current, kept, expired, old, otherTenant, notMonthly, otherPrefix)) {
      var created = client.send(HttpRequest.newBuilder(URI.create(elasticsearch.url() + "/" + index))
          .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    }

    try (var service = Harness.start(elasticsearch.url(), prefix, new JsonObject().put("retentionMonths", 2))) {
      await().atMost(Duration.ofSeconds(30)).until(() -> !service.indices().contains(otherTenant));

      assertThat(service.indices()).containsExactlyInAnyOrder(current, kept, notMonthly);
      var others = client.send(HttpRequest.newBuilder(URI.create(elasticsearch.url() + "/" + otherPrefix)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(others.statusCode()).as("another prefix is not ours").isEqualTo(200);
    }
  }
}
