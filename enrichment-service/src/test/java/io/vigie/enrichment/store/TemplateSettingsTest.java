package io.vigie.enrichment.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vigie.enrichment.domain.IndexNames;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TemplateSettingsTest {

  @Test
  @DisplayName("the measurement indices' template carries VIGIE_ES_SHARDS and VIGIE_ES_REPLICAS, with no automatic replicas to override them, and Elasticsearch's default refresh (every second while searched)")
  void shardsAndReplicas() {
    var index = new JsonObject(ElasticsearchMeasurementStore.templateBody(new IndexNames("vigie-measurements"), 3, 1))
        .getJsonObject("template").getJsonObject("settings").getJsonObject("index");

    assertThat(index.getInteger("number_of_shards")).isEqualTo(3);
    assertThat(index.getInteger("number_of_replicas")).isEqualTo(1);
    assertThat(index.containsKey("auto_expand_replicas")).isFalse();
    assertThat(index.containsKey("refresh_interval")).as("unset: shards nobody searches skip their background refresh").isFalse();
  }
}
