package io.vigie.registry.domain;

import java.util.Locale;
import java.util.regex.Pattern;

/** Formats of the identifiers the registry accepts. */
public final class Ids {
  /** Node, tenant and device-type ids. */
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  /** Usernames (also partner client ids later). */
  public static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
  private static final Pattern HEX8 = Pattern.compile("[0-9a-f]{8}");
  private static final Pattern HEX32 = Pattern.compile("[0-9a-f]{32}");

  private Ids() {}

  /** A username a new user may take: the {@link #USERNAME} pattern, but not the partner clients' {@code vc_} prefix. */
  public static boolean isNewUsername(String s) {
    return s != null && USERNAME.matcher(s).matches() && !s.startsWith("vc_");
  }

  public static boolean isId(String s) {
    return s != null && ID.matcher(s).matches();
  }

  /** A DevAddr as 8 lower-case hex digits, or {@link IllegalArgumentException}. */
  public static String devAddr(String raw) {
    var value = raw == null ? "" : raw.trim().toLowerCase(Locale.ROOT);
    if (!HEX8.matcher(value).matches()) throw new IllegalArgumentException("devAddr must be 8 hex digits");
    return value;
  }

  /** An AES-128 session key as 32 lower-case hex digits, or {@link IllegalArgumentException} (never echoing it). */
  public static String sessionKey(String field, String raw) {
    var value = raw == null ? "" : raw.trim().toLowerCase(Locale.ROOT);
    if (!HEX32.matcher(value).matches()) throw new IllegalArgumentException(field + " must be 32 hex digits");
    return value;
  }
}
