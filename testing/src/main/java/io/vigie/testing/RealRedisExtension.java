package io.vigie.testing;

import io.vigie.embedded.EmbeddedRedis;

/** The extension behind {@link RealRedis}: starts {@link Infra#redis()} and injects {@link EmbeddedRedis} parameters. */
public final class RealRedisExtension extends ServerExtension<EmbeddedRedis> {

  public RealRedisExtension() {
    super(EmbeddedRedis.class, Infra::redis);
  }
}
