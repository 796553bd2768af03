package io.vigie.common.auth;

import java.util.List;

/**
 * The one place that answers "may this principal do this on this part of the hierarchy", used by
 * every service for REST routes, history queries and live subscriptions.
 */
public final class Access {
  /** What a caller wants to do. */
  public enum Action { READ, SUBSCRIBE, ACKNOWLEDGE, MANAGE_DEVICES, ADMINISTER }

  private Access() {}

  /**
   * @param tenant the tenant of the object
   * @param pathIds the ids from the tenant root down to the object itself (a device's node path)
   */
  public static boolean allows(VigiePrincipal principal, Action action, String tenant, List<String> pathIds) {
    if (principal == null || tenant == null || !tenant.equals(principal.tenant())) return false;
    if (!roleAllows(principal.role(), action)) return false;
    return principal.scopes().stream().anyMatch(pathIds::contains);
  }

  static boolean roleAllows(Role role, Action action) {
    return switch (action) {
      case READ, SUBSCRIBE -> true;
      case ACKNOWLEDGE, MANAGE_DEVICES -> role == Role.ADMIN || role == Role.OPERATOR;
      case ADMINISTER -> role == Role.ADMIN;
    };
  }
}
