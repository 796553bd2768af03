package io.vigie.testing;

import io.vigie.embedded.EmbeddedElasticsearch;
import io.vigie.embedded.EmbeddedMqttBroker;
import io.vigie.embedded.EmbeddedRedis;

/** What {@link RealServersFirstTest} was given, for {@link RealServersSecondTest} to compare with. */
final class SeenServers {

  static volatile EmbeddedRedis redis;
  static volatile EmbeddedElasticsearch elasticsearch;
  static volatile EmbeddedMqttBroker mqtt;

  private SeenServers() {
  }
}
