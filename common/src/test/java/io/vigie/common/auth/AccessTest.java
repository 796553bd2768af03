package io.vigie.common.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigie.common.auth.Access.Action;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Scoped access")
class AccessTest {
  static final List<String> PARIS_FRIDGE = List.of("acme", "site-paris", "bldg-a", "kitchen-1", "fridge-12");
  static final List<String> LYON_FRIDGE = List.of("acme", "site-lyon", "kitchen-2", "fridge-3");

  static VigiePrincipal user(Role role, String tenant, String... scopes) {
    return new VigiePrincipal("someone", tenant, role, List.of(scopes));
  }

  @Test
  @DisplayName("a grant on a site covers everything below it and nothing of another site")
  void subtree() {
    var paris = user(Role.VIEWER, "acme", "site-paris");
    assertThat(Access.allows(paris, Action.READ, "acme", PARIS_FRIDGE)).isTrue();
    assertThat(Access.allows(paris, Action.SUBSCRIBE, "acme", PARIS_FRIDGE)).isTrue();
    assertThat(Access.allows(paris, Action.READ, "acme", LYON_FRIDGE)).isFalse();
    assertThat(Access.allows(paris, Action.READ, "acme", List.of("acme"))).as("not even the tenant root").isFalse();
  }

  @Test
  @DisplayName("a grant on a room does not reach up to its building")
  void noUpwardReach() {
    var kitchen = user(Role.OPERATOR, "acme", "kitchen-1");
    assertThat(Access.allows(kitchen, Action.READ, "acme", PARIS_FRIDGE)).isTrue();
    assertThat(Access.allows(kitchen, Action.READ, "acme", List.of("acme", "site-paris", "bldg-a"))).isFalse();
  }

  @Test
  @DisplayName("tenants never see each other, even with a scope of the same id")
  void tenantIsolation() {
    var other = user(Role.ADMIN, "globex", "acme", "site-paris");
    assertThat(Access.allows(other, Action.READ, "acme", PARIS_FRIDGE)).isFalse();
  }

  @Test
  @DisplayName("roles: viewers and partners read, operators also acknowledge and manage devices, admins everything")
  void roles() {
    for (var role : Role.values()) {
      var principal = user(role, "acme", "acme");
      assertThat(Access.allows(principal, Action.READ, "acme", PARIS_FRIDGE)).isTrue();
      assertThat(Access.allows(principal, Action.ACKNOWLEDGE, "acme", PARIS_FRIDGE))
          .isEqualTo(role == Role.ADMIN || role == Role.OPERATOR);
      assertThat(Access.allows(principal, Action.MANAGE_DEVICES, "acme", PARIS_FRIDGE))
          .isEqualTo(role == Role.ADMIN || role == Role.OPERATOR);
      assertThat(Access.allows(principal, Action.ADMINISTER, "acme", PARIS_FRIDGE)).isEqualTo(role == Role.ADMIN);
    }
  }

  @Test
  @DisplayName("no principal, no access")
  void anonymous() {
    assertThat(Access.allows(null, Action.READ, "acme", PARIS_FRIDGE)).isFalse();
  }
}
