package io.vigie.gateway.mqtt;

/** MQTT topic filters: does a topic name match a filter with {@code +} and {@code #} wildcards. */
final class TopicFilter {
  private TopicFilter() {}

  /**
   * @param filter a subscription filter; a shared-subscription prefix ({@code $share/<group>/}) is ignored
   */
  static boolean matches(String filter, String topic) {
    if (filter.startsWith("$share/")) {
      var rest = filter.indexOf('/', "$share/".length());
      if (rest < 0) return false;
      filter = filter.substring(rest + 1);
    }
    var levels = filter.split("/", -1);
    var names = topic.split("/", -1);
    for (int i = 0; i < levels.length; i++) {
      if (levels[i].equals("#")) return true; // the levels before matched; '#' also matches the parent level
      if (i >= names.length) return false;
      if (!levels[i].equals("+") && !levels[i].equals(names[i])) return false;
    }
    return levels.length == names.length;
  }
}
