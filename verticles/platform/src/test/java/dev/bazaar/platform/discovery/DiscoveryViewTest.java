package dev.bazaar.platform.discovery;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class DiscoveryViewTest {
  private static final long TTL = 5000;
  private final DiscoveryView view = new DiscoveryView(TTL);

  private static ServiceInstance instance(String service, String id, String node) {
    return new ServiceInstance(null, service, id, "127.0.0.1", 1000 + id.hashCode() % 1000, node, 1, 0, 0);
  }

  @Test
  void anInstanceHeardOfWithinTheTtlIsRoutableAndStopsBeingSoWhenItFallsSilent() {
    view.seen(instance("user-service", "u1", "n1"), 1000, 1000);
    view.seen(instance("user-service", "u2", "n2"), 1000, 1000);
    assertThat(view.routable().get("user-service")).extracting(ServiceInstance::instanceId).containsExactly("u1", "u2");

    view.seen(instance("user-service", "u2", "n2"), 5500, 5500);   // u2 keeps beating, u1 froze
    view.expire(6001, node -> true, 60_000);
    assertThat(view.routable().get("user-service")).extracting(ServiceInstance::instanceId).containsExactly("u2");

    view.seen(instance("user-service", "u1", "n1"), 7000, 7000);   // thawed: back with its next heartbeat
    assertThat(view.routable().get("user-service")).extracting(ServiceInstance::instanceId).containsExactly("u1", "u2");
  }

  @Test
  void aServiceWhoseEveryInstanceIsLateKeepsItsMemberInstancesRatherThanVanishing() {
    view.seen(instance("user-service", "u1", "n1"), 1000, 1000);
    view.seen(instance("product-service", "p1", "n2"), 1000, 1000);
    view.expire(20_000, Set.of("n1")::contains, 60_000);   // both silent for 19 s; p1's node left
    assertThat(view.routable()).containsOnlyKeys("user-service");
    assertThat(view.routable().get("user-service")).extracting(ServiceInstance::instanceId).containsExactly("u1");
  }

  @Test
  void anOlderSightingNeverOverridesANewerOne() {
    view.seen(instance("order-service", "o1", "n1"), 9000, 9000);
    view.seen(instance("order-service", "o1", "n1"), 1000, 9000);  // a re-sync read an old grid record
    view.expire(13_000, node -> true, 60_000);
    assertThat(view.routable().get("order-service")).hasSize(1);
  }

  @Test
  void aNodeThatLeftTakesItsInstancesAlongAndOnlyThose() {
    view.seen(instance("user-service", "u1", "n1"), 1000, 1000);
    view.seen(instance("product-service", "p1", "n1"), 1000, 1000);
    view.seen(instance("user-service", "u2", "n2"), 1000, 1000);

    assertThat(view.removeNode("n1", 1100)).extracting(ServiceInstance::instanceId).containsExactlyInAnyOrder("u1", "p1");
    assertThat(view.routable()).containsOnlyKeys("user-service");
    assertThat(view.routable().get("user-service")).extracting(ServiceInstance::instanceId).containsExactly("u2");
  }

  @Test
  void anInstanceOfANodeThatIsNotAMemberIsNotRouted() {
    view.seen(instance("user-service", "u1", "n1"), 1000, 1000);
    view.seen(instance("user-service", "u2", "n2"), 1000, 1000);
    view.expire(1000, Set.of("n2")::contains, 60_000);
    assertThat(view.routable().get("user-service")).extracting(ServiceInstance::instanceId).containsExactly("u2");
  }

  @Test
  void aLongSilentInstanceIsForgottenAndAGracefulLeaveIsImmediate() {
    view.seen(instance("user-service", "u1", "n1"), 1000, 1000);
    view.seen(instance("user-service", "u2", "n2"), 1000, 1000);
    view.expire(1000 + 60_001, node -> true, 60_000);
    assertThat(view.knows("u1")).isFalse();

    view.seen(instance("user-service", "u2", "n2"), 70_000, 70_000);
    assertThat(view.remove("u2", 70_001)).isTrue();
    assertThat(view.routable()).isEmpty();
  }
}
