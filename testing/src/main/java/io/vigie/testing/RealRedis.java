package io.vigie.testing;

import io.vigie.embedded.EmbeddedRedis;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The tests need a real Redis (no persistence): this JVM's {@link Infra#redis()} is started before them (once per JVM, shared by every test
 * class), and constructor, test and lifecycle method parameters of type {@link EmbeddedRedis} receive it.
 *
 * <pre>{@code
 * @RealRedis
 * class MyTest {
 *   @Test
 *   void works(EmbeddedRedis server) {
 *     String url = server.url();
 *   }
 * }
 * }</pre>
 *
 * <p>Do not close the injected server: it belongs to the whole JVM and is stopped when the JVM exits.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(RealRedisExtension.class)
public @interface RealRedis {
}
