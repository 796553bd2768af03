package io.vigie.registry;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A logback appender (see {@code logback-test.xml}) keeping every log line of the test JVM: message, arguments
 * formatted in, MDC, key-values and stack traces. {@link LogLeakTest} searches them for secrets.
 */
public final class CapturedLogs extends AppenderBase<ILoggingEvent> {
  private static final ConcurrentLinkedQueue<String> LINES = new ConcurrentLinkedQueue<>();

  @Override
  protected void append(ILoggingEvent event) {
    var line = new StringBuilder().append(event.getLevel()).append(' ').append(event.getLoggerName()).append(" - ")
        .append(event.getFormattedMessage());
    if (!event.getMDCPropertyMap().isEmpty()) line.append(" mdc=").append(event.getMDCPropertyMap());
    if (event.getKeyValuePairs() != null) line.append(" kv=").append(event.getKeyValuePairs());
    if (event.getThrowableProxy() != null) line.append('\n').append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
    LINES.add(line.toString());
  }

  static List<String> lines() {
    return List.copyOf(LINES);
  }
}
