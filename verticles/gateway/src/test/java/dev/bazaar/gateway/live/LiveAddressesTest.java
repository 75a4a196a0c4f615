package dev.bazaar.gateway.live;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class LiveAddressesTest {
  @Test
  void aNotificationsAddressNamesItsOwnerInCanonicalForm() {
    String id = UUID.randomUUID().toString();
    assertThat(LiveAddresses.notificationsOwner("notifications." + id)).contains(id);
    assertThat(LiveAddresses.notificationsOwner(LiveAddresses.notifications(id))).contains(id);
  }

  @Test
  void anythingElseHasNoOwner() {
    String id = UUID.randomUUID().toString();
    assertThat(LiveAddresses.notificationsOwner(null)).isEmpty();
    assertThat(LiveAddresses.notificationsOwner("notifications." + id.toUpperCase())).isEmpty();
    assertThat(LiveAddresses.notificationsOwner("notifications." + id + ".more")).isEmpty();
    assertThat(LiveAddresses.notificationsOwner("notifications.*")).isEmpty();
    assertThat(LiveAddresses.notificationsOwner("xnotifications." + id)).isEmpty();
    assertThat(LiveAddresses.notificationsOwner(LiveAddresses.OPS_EVENTS)).isEmpty();
  }

  @Test
  void metricsNameTheKindOfAddressNeverAUser() {
    assertThat(LiveAddresses.kind("notifications." + UUID.randomUUID())).isEqualTo("notifications");
    assertThat(LiveAddresses.kind(LiveAddresses.OPS_EVENTS)).isEqualTo("ops.events");
  }
}
