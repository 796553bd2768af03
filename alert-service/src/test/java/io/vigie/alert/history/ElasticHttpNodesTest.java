package io.vigie.alert.history;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vigie.common.elastic.ElasticHttp;
import io.vigie.embedded.EmbeddedElasticsearch;
import io.vigie.embedded.FreePorts;
import io.vigie.testing.RealElasticsearch;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@RealElasticsearch
@DisplayName("Common's Elasticsearch client with several nodes in VIGIE_ES_URL")
class ElasticHttpNodesTest {

  @Test
  @DisplayName("with a dead node listed first, every request is answered by the live one, and the index gets the configured shards and replicas")
  void failoverAndSettings(Vertx vertx, EmbeddedElasticsearch elasticsearch) throws Exception {
    var dead = "http://127.0.0.1:" + FreePorts.find();
    var elastic = new ElasticHttp(vertx, dead + "," + elasticsearch.url(), 5000, 2, 0);
    var index = "vigie-test-nodes-" + UUID.randomUUID().toString().substring(0, 8);

    elastic.ensureIndex(index, new JsonObject().put("name", new JsonObject().put("type", "keyword"))).await(20, SECONDS);
    for (int i = 0; i < 3; i++) {
      // round-robin: each call starts on the next node, so the dead one comes first every other time
      elastic.bulk(index, Map.of("doc-" + i, new JsonObject().put("name", "n" + i))).await(20, SECONDS);
    }
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> elastic.search(index, new JsonObject())
        .await(10, SECONDS).getJsonObject("hits").getJsonArray("hits").size() == 3);

    var settings = WebClient.create(vertx).getAbs(elasticsearch.url() + "/" + index + "/_settings").send().await(10, SECONDS)
        .bodyAsJsonObject().getJsonObject(index).getJsonObject("settings").getJsonObject("index");
    assertThat(settings.getString("number_of_shards")).isEqualTo("2");
    assertThat(settings.getString("number_of_replicas")).isEqualTo("0");
  }
}
