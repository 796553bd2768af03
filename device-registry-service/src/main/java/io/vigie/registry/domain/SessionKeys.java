package io.vigie.registry.domain;

/** ABP session keys as 32 lower-case hex digits each. Never logged, never in an API answer. */
public record SessionKeys(String appSKey, String nwkSKey) {
  @Override
  public String toString() {
    return "SessionKeys[***]";
  }
}
