package io.vigie.registry;

import io.vigie.testing.RealRedisCluster;
import org.junit.jupiter.api.DisplayName;

/** Every test of {@link NodeChangeApiTest}, with VIGIE_REDIS_URL listing the masters of a real Redis Cluster. */
@RealRedisCluster
@DisplayName("Changing the tree (move, delete, cascade, scopes pruned) on a three-master Redis Cluster")
class NodeChangeApiClusterTest extends NodeChangeApiTest {
}
