package io.vigie.registry;

import io.vigie.testing.RealRedisCluster;
import org.junit.jupiter.api.DisplayName;

/** Every test of {@link DeviceApiTest}, with VIGIE_REDIS_URL listing the masters of a real Redis Cluster. */
@RealRedisCluster
@DisplayName("Devices on a three-master Redis Cluster")
class DeviceApiClusterTest extends DeviceApiTest {
}
