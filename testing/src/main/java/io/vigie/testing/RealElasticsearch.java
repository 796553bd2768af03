package io.vigie.testing;

import io.vigie.embedded.EmbeddedElasticsearch;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The tests need a real single-node Elasticsearch (about 15 s the first time in a JVM): this JVM's {@link Infra#elasticsearch()} is started before them (once per JVM, shared by every test
 * class), and constructor, test and lifecycle method parameters of type {@link EmbeddedElasticsearch} receive it.
 *
 * <pre>{@code
 * @RealElasticsearch
 * class MyTest {
 *   @Test
 *   void works(EmbeddedElasticsearch server) {
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
@ExtendWith(RealElasticsearchExtension.class)
public @interface RealElasticsearch {
}
