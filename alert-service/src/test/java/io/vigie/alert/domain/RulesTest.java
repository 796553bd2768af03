package io.vigie.alert.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Rules down the hierarchy")
class RulesTest {
  private static final List<String> FRIDGE = List.of("acme", "paris", "kitchen", "fridge-1");

  private static Rule rule(String id, String json) {
    return RuleParser.parse(id, "acme", new JsonObject(json));
  }

  @Test
  @DisplayName("a rule on a node applies to its whole subtree; the nearest rule with the same id or name wins; device-type rules sit between the root and the sites")
  void inheritance() {
    var all = List.of(
        rule("root-temp", "{\"nodeId\":\"acme\",\"name\":\"temperature\",\"kind\":\"above\",\"measurement\":\"temperature\",\"threshold\":8,\"severity\":\"major\"}"),
        rule("root-silence", "{\"nodeId\":\"acme\",\"kind\":\"no-data\",\"for\":\"PT1H\",\"severity\":\"minor\"}"),
        rule("freezer-temp", "{\"deviceType\":\"freezer-probe\",\"name\":\"temperature\",\"kind\":\"above\",\"measurement\":\"temperature\",\"threshold\":-18,\"severity\":\"major\"}"),
        rule("kitchen-temp", "{\"nodeId\":\"kitchen\",\"name\":\"temperature\",\"kind\":\"above\",\"measurement\":\"temperature\",\"threshold\":5,\"severity\":\"critical\"}"),
        rule("root-silence", "{\"nodeId\":\"paris\",\"kind\":\"no-data\",\"for\":\"PT1H\",\"severity\":\"minor\",\"enabled\":false}"),
        rule("lyon-only", "{\"nodeId\":\"lyon\",\"kind\":\"below\",\"measurement\":\"temperature\",\"threshold\":0,\"severity\":\"minor\"}"));

    var atFridge = Rules.effective(all, FRIDGE, null);
    assertThat(atFridge).extracting(e -> e.rule().id() + "@" + e.fromNode()).containsExactly("kitchen-temp@kitchen", "root-silence@paris");
    assertThat(Rules.active(all, FRIDGE, null)).extracting(Rule::id).containsExactly("kitchen-temp");
    assertThat(Rules.effective(all, List.of("acme", "lyon"), "freezer-probe"))
        .extracting(e -> e.rule().id()).containsExactly("freezer-temp", "lyon-only", "root-silence");
    assertThat(Rules.effective(all, List.of("acme"), null).get(0).toJson().getString("inheritedFrom")).isEqualTo("acme");
  }

  @Test
  @DisplayName("refuses invalid rules with the reason")
  void validation() {
    var refused = Map.of(
        "{\"kind\":\"above\",\"measurement\":\"t\",\"threshold\":8,\"severity\":\"major\"}", "nodeId or deviceType",
        "{\"nodeId\":\"n\",\"kind\":\"hot\",\"severity\":\"major\"}", "kind must be",
        "{\"nodeId\":\"n\",\"kind\":\"above\",\"measurement\":\"t\",\"severity\":\"major\"}", "threshold",
        "{\"nodeId\":\"n\",\"kind\":\"above\",\"measurement\":\"t\",\"threshold\":8,\"clearBelow\":9,\"severity\":\"major\"}", "clearBelow",
        "{\"nodeId\":\"n\",\"kind\":\"above\",\"measurement\":\"t\",\"threshold\":8,\"for\":\"15 minutes\",\"severity\":\"major\"}", "ISO-8601",
        "{\"nodeId\":\"n\",\"kind\":\"no-data\",\"severity\":\"minor\"}", "for",
        "{\"nodeId\":\"n\",\"kind\":\"outside\",\"measurement\":\"t\",\"min\":8,\"max\":2,\"severity\":\"major\"}", "min below max",
        "{\"nodeId\":\"n\",\"kind\":\"above\",\"measurement\":\"t\",\"threshold\":8,\"severity\":\"urgent\"}", "severity",
        "{\"nodeId\":\"n\",\"kind\":\"above\",\"measurement\":\"t\",\"threshold\":8,\"severity\":\"major\",\"escalate\":"
            + "[{\"after\":\"PT1H\",\"severity\":\"critical\"},{\"after\":\"PT30M\",\"severity\":\"critical\"}]}", "increasing");
    refused.forEach((json, reason) -> assertThatThrownBy(() -> rule("x", json)).as(json).hasMessageContaining(reason));
    assertThatThrownBy(() -> rule("bad id!", "{\"nodeId\":\"n\",\"kind\":\"no-data\",\"for\":\"PT1H\",\"severity\":\"minor\"}"))
        .hasMessageContaining("rule id");
  }

  @Test
  @DisplayName("a rule reads back from its stored JSON as it was written")
  void roundTrip() {
    var written = rule("r", "{\"nodeId\":\"n\",\"name\":\"cold chain\",\"kind\":\"above\",\"measurement\":\"temperature\",\"threshold\":8,"
        + "\"for\":\"PT15M\",\"clearBelow\":7.5,\"severity\":\"major\",\"escalate\":[{\"after\":\"PT1H\",\"severity\":\"critical\"}]}");
    assertThat(Rule.fromStored(written.toStored())).isEqualTo(written);
    assertThat(written.toJson().getString("for")).isEqualTo("PT15M");
  }
}
