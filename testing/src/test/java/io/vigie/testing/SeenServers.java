package io.vigie.testing;

import io.vigie.testing.infra.EmbeddedElasticsearch;
import io.vigie.testing.infra.EmbeddedMqttBroker;
import io.vigie.testing.infra.EmbeddedRedis;

/** What {@link RealServersFirstTest} was given, for {@link RealServersSecondTest} to compare with. */
final class SeenServers {

  static volatile EmbeddedRedis redis;
  static volatile EmbeddedElasticsearch elasticsearch;
  static volatile EmbeddedMqttBroker mqtt;

  private SeenServers() {
  }
}
