package io.vigie.testing;

import io.vigie.embedded.EmbeddedRedisCluster;

/** The extension behind {@link RealRedisCluster}: starts {@link Infra#redisCluster()} and injects it. */
public final class RealRedisClusterExtension extends ServerExtension<EmbeddedRedisCluster> {

  public RealRedisClusterExtension() {
    super(EmbeddedRedisCluster.class, Infra::redisCluster);
  }
}
