package io.vigie.testing;

import io.vigie.embedded.EmbeddedRedisCluster;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The tests need a real Redis Cluster: this JVM's {@link Infra#redisCluster()} (three masters started from the same
 * {@code redis-server} binary as {@link RealRedis}, slots assigned, {@code cluster_state:ok}) is started before them,
 * once per JVM, and parameters of type {@link EmbeddedRedisCluster} receive it; {@code cluster.url()} is the
 * comma-separated list {@code VIGIE_REDIS_URL} takes.
 *
 * <p>Do not close the injected cluster: it belongs to the whole JVM and is stopped when the JVM exits.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(RealRedisClusterExtension.class)
public @interface RealRedisCluster {
}
