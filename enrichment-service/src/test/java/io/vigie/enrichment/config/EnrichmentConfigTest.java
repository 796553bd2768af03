package io.vigie.enrichment.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import io.vigie.common.config.VigieConfig;
import io.vigie.common.elastic.ElasticHosts;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EnrichmentConfigTest {

  private static VigieConfig config(JsonObject elasticsearch) {
    return VigieConfig.from(new JsonObject().put("elasticsearch", elasticsearch.put("url", "http://localhost:9200"))
        .put("bus", new JsonObject().put("requestTimeout", 15000)));
  }

  @Test
  @DisplayName("defaults: keep everything, bulks of 500 documents or 40 ms, 2 in flight, 10,000 pending, callers wait "
      + "what the enrich stage's 12 s leaves after the alert stage's 3 s and a second")
  void defaults() {
    var parsed = EnrichmentConfig.from(config(new JsonObject()), Map.of());
    assertThat(parsed.retentionMonths()).isZero();
    assertThat(parsed.bulk()).isEqualTo(new EnrichmentConfig.Bulk(500, 40, 10_000, 2, 8000));
    assertThat(parsed.alertTimeoutMs()).isEqualTo(3000);
  }

  @Test
  @DisplayName("a longer enrich stage leaves the bulk writer what the alert stage does not take")
  void ackTimeoutFollowsTheStage() {
    var vigie = VigieConfig.from(new JsonObject().put("elasticsearch", new JsonObject().put("url", "http://localhost:9200"))
        .put("bus", new JsonObject().put("stageTimeout", new JsonObject().put("enrich", "10s").put("alert", "3s"))));
    var parsed = EnrichmentConfig.from(vigie, Map.of());
    assertThat(parsed.bulk().ackTimeoutMs()).isEqualTo(6000);
    assertThat(parsed.alertTimeoutMs()).isEqualTo(3000);
  }

  @Test
  @DisplayName("the retention comes from elasticsearch.retentionMonths, else from VIGIE_ES_RETENTION_MONTHS")
  void retention() {
    assertThat(EnrichmentConfig.from(config(new JsonObject().put("retentionMonths", 13)), Map.of()).retentionMonths()).isEqualTo(13);
    assertThat(EnrichmentConfig.from(config(new JsonObject()), Map.of("VIGIE_ES_RETENTION_MONTHS", "24")).retentionMonths()).isEqualTo(24);
    assertThatThrownBy(() -> EnrichmentConfig.from(config(new JsonObject().put("retentionMonths", -1)), Map.of()))
        .hasMessageContaining("elasticsearch.retentionMonths must be at least 0");
    assertThatThrownBy(() -> EnrichmentConfig.from(config(new JsonObject()), Map.of("VIGIE_ES_RETENTION_MONTHS", "a year")))
        .hasMessageContaining("VIGIE_ES_RETENTION_MONTHS must be an integer");
  }

  @Test
  @DisplayName("bulk limits below their minimum are refused with the setting's name")
  void bulkLimits() {
    assertThatThrownBy(() -> EnrichmentConfig.from(config(new JsonObject().put("bulk", new JsonObject().put("maxDocs", 0))), Map.of()))
        .hasMessageContaining("elasticsearch.bulk.maxDocs must be at least 1");
  }

  @Test
  @DisplayName("VIGIE_ES_URL may list several nodes, comma-separated; shards and replicas default to 1 and 0 and are read from the configuration")
  void severalNodesShardsReplicas() {
    var raw = new JsonObject().put("elasticsearch", new JsonObject()
        .put("url", "http://es-0:9200, https://vigie:secret@es-1:9243,http://es-2").put("shards", "3").put("replicas", 1));
    var parsed = EnrichmentConfig.from(VigieConfig.from(raw), Map.of());
    assertThat(parsed.elasticsearch().hosts()).extracting(uri -> ElasticHosts.url(uri, "/"))
        .containsExactly("http://es-0:9200/", "https://es-1:9243/", "http://es-2:9200/");
    assertThat(parsed.elasticsearch().authorization()).isEqualTo("Basic dmlnaWU6c2VjcmV0");
    assertThat(parsed.shards()).isEqualTo(3);
    assertThat(parsed.replicas()).isEqualTo(1);
    var defaults = EnrichmentConfig.from(config(new JsonObject()), Map.of());
    assertThat(List.of(defaults.shards(), defaults.replicas())).containsExactly(1, 0);
    assertThatThrownBy(() -> EnrichmentConfig.from(config(new JsonObject().put("shards", 0)), Map.of()))
        .hasMessageContaining("VIGIE_ES_SHARDS");
    assertThatThrownBy(() -> EnrichmentConfig.from(VigieConfig.from(new JsonObject().put("elasticsearch",
        new JsonObject().put("url", "http://es-0:9200,es-1:9200"))), Map.of())).hasMessageContaining("VIGIE_ES_URL");
  }
}
