package io.vigie.registry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The secrets the tests hand to the registry (passwords, tokens, session keys, client secrets), so that
 * {@link LogLeakTest} can check none of them reached the logs. Also shapes no log line should hold whatever
 * the test: a JWT, an Argon2 hash, a sealed value, 32 hex digits in a row (an AES-128 key).
 */
final class LeakWatch {
  private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();
  static final List<Pattern> SHAPES = List.of(
      Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*"),
      Pattern.compile("\\$argon2id\\$"),
      Pattern.compile("v1:[A-Za-z0-9+/]{30,}"),
      Pattern.compile("(?<![0-9A-Fa-f])[0-9A-Fa-f]{32}(?![0-9A-Fa-f])"));

  private LeakWatch() {}

  /** Remembers a secret (8 characters or more: shorter ones would match innocent text) and returns it. */
  static String remember(String secret) {
    if (secret != null && secret.length() >= 8) SECRETS.add(secret.toLowerCase(Locale.ROOT));
    return secret;
  }

  static int remembered() {
    return SECRETS.size();
  }

  /** The lines holding a remembered secret or a secret's shape, each described without the secret itself. */
  static List<String> leaks(Collection<String> lines) {
    var out = new ArrayList<String>();
    for (var line : lines) {
      var lower = line.toLowerCase(Locale.ROOT);
      for (var secret : SECRETS) {
        if (lower.contains(secret)) out.add("a secret starting " + secret.substring(0, 3) + "… in: " + mask(line, secret));
      }
      for (var shape : SHAPES) {
        if (shape.matcher(line).find()) out.add("a " + shape.pattern() + " in: " + shape.matcher(line).replaceAll("***"));
      }
    }
    return out;
  }

  private static String mask(String line, String secret) {
    return Pattern.compile(Pattern.quote(secret), Pattern.CASE_INSENSITIVE).matcher(line).replaceAll("***");
  }
}
