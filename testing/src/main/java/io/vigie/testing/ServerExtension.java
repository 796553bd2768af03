package io.vigie.testing;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Makes sure one of the {@link Infra} servers runs before the tests, and injects it into constructor, test and
 * lifecycle method parameters of its type.
 */
abstract class ServerExtension<T> implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {

  private final Class<T> type;
  private final Supplier<T> server;

  ServerExtension(Class<T> type, Supplier<T> server) {
    this.type = type;
    this.server = server;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    server.get();
  }

  /** For the annotation on a method (or a class used without a class-level callback). */
  @Override
  public void beforeEach(ExtensionContext context) {
    server.get();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == type;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return server.get();
  }
}
