package io.vigie.registry;

import io.vigie.testing.RealRedisCluster;
import org.junit.jupiter.api.DisplayName;

/** Every test of {@link UserClientApiTest}, with VIGIE_REDIS_URL listing the masters of a real Redis Cluster. */
@RealRedisCluster
@DisplayName("Users and partner clients on a three-master Redis Cluster")
class UserClientApiClusterTest extends UserClientApiTest {
}
