package io.vigie.alert.domain;

import java.util.List;

/** The severities, least severe first: escalation only goes up this list. */
public final class Severity {
  public static final List<String> ORDER = List.of("warning", "minor", "major", "critical");

  private Severity() {}

  public static String check(String severity, String field) {
    if (!ORDER.contains(severity)) {
      throw new IllegalArgumentException(field + " must be critical, major, minor or warning, got '" + severity + "'");
    }
    return severity;
  }

  public static int rank(String severity) {
    return ORDER.indexOf(severity);
  }
}
