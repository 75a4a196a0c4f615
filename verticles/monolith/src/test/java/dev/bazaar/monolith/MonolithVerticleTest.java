package dev.bazaar.monolith;

import dev.bazaar.platform.config.ConfigException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MonolithVerticleTest {

  @Test
  void deploysEveryServiceAndTheGatewayByDefault() {
    assertThat(MonolithVerticle.selected(null)).containsExactly("user-service", "product-service", "inventory-service",
      "order-service", "payment-service", "notification-service", "gateway");
    assertThat(MonolithVerticle.selected(" ")).hasSize(7);
  }

  @Test
  void aServiceLeftOutOfTheListRunsElsewhere() {
    assertThat(MonolithVerticle.selected("gateway, user-service")).containsExactly("user-service", "gateway");
  }

  @Test
  void anUnknownNameStopsTheStart() {
    assertThatThrownBy(() -> MonolithVerticle.selected("user-service,orders"))
      .isInstanceOf(ConfigException.class).hasMessageContaining("orders");
  }
}
