package io.vigie.testing;

import io.vigie.embedded.EmbeddedMqttBroker;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The tests need a real MQTT broker: this JVM's {@link Infra#mqtt()} is started before them (once per JVM, shared by every test
 * class), and constructor, test and lifecycle method parameters of type {@link EmbeddedMqttBroker} receive it.
 *
 * <pre>{@code
 * @RealMqtt
 * class MyTest {
 *   @Test
 *   void works(EmbeddedMqttBroker server) {
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
@ExtendWith(RealMqttExtension.class)
public @interface RealMqtt {
}
