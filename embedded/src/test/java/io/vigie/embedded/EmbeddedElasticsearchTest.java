package io.vigie.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("EmbeddedElasticsearch, one node shared by the tests of this class")
class EmbeddedElasticsearchTest {

  private static EmbeddedElasticsearch elasticsearch;

  @BeforeAll
  static void start() throws IOException {
    elasticsearch = EmbeddedElasticsearch.start(WorkDirs.fresh("elasticsearch"), 0, null);
  }

  @AfterAll
  static void stop() {
    if (elasticsearch != null) {
      elasticsearch.close();
    }
  }

  @Test
  @DisplayName("reports a healthy single-node cluster named vigie")
  void health() throws Exception {
    assertThat(elasticsearch.url()).isEqualTo("http://127.0.0.1:" + elasticsearch.port());

    HttpResponse<String> health = Http.get(elasticsearch.url() + "/_cluster/health");

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"cluster_name\":\"vigie\"", "\"number_of_nodes\":1")
        .containsAnyOf("\"status\":\"green\"", "\"status\":\"yellow\"");
  }

  @Test
  @DisplayName("indexes a document and returns it")
  void indexAndGet() throws Exception {
    String document = "{\"deviceId\":\"dev-1\",\"temperature\":21.5}";

    HttpResponse<String> indexed = Http.put(elasticsearch.url() + "/vigie-test-uplinks/_doc/1?refresh=true", document);
    HttpResponse<String> fetched = Http.get(elasticsearch.url() + "/vigie-test-uplinks/_doc/1");

    assertThat(indexed.statusCode()).isIn(200, 201);
    assertThat(fetched.statusCode()).isEqualTo(200);
    assertThat(fetched.body()).contains("\"found\":true", "\"_source\":" + document);
  }

  @Test
  @DisplayName("answers 405 on GET / (an Elasticsearch quirk: never use it as a health check)")
  void rootIs405() throws Exception {
    assertThat(Http.get(elasticsearch.url() + "/").statusCode()).isEqualTo(405);
  }

  @Test
  @DisplayName("listens on 127.0.0.1 only")
  void loopbackOnly() throws Exception {
    HttpResponse<String> nodes = Http.get(elasticsearch.url() + "/_nodes/_local/http?filter_path=nodes.*.http");

    assertThat(nodes.body()).contains("\"bound_address\":[\"127.0.0.1:" + elasticsearch.port() + "\"]");
  }
}
