package io.vigie.testing;

import io.vigie.embedded.EmbeddedMqttBroker;

/** The extension behind {@link RealMqtt}: starts {@link Infra#mqtt()} and injects {@link EmbeddedMqttBroker} parameters. */
public final class RealMqttExtension extends ServerExtension<EmbeddedMqttBroker> {

  public RealMqttExtension() {
    super(EmbeddedMqttBroker.class, Infra::mqtt);
  }
}
