package dev.bazaar.platform.metrics;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MeterFiltersTest {

  @Test
  void perUserBusAddressesAreCountedUnderTheirFamilyAndOthersKeepTheirName() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    registry.config().meterFilter(MeterFilters.boundedBusAddresses());
    registry.counter("vertx.eventbus.published", "address", "notifications.39abb1b0-916d-40c6-96da-bcc8e26c8ae0").increment();
    registry.counter("vertx.eventbus.published", "address", "notifications.5d0e6f4e-1a40-4a8e-9a8c-2a4b7f7c0b11").increment();
    registry.counter("vertx.eventbus.published", "address", "ops.events").increment();

    assertThat(registry.get("vertx.eventbus.published").tag("address", "notifications.*").counter().count()).isEqualTo(2.0);
    assertThat(registry.get("vertx.eventbus.published").tag("address", "ops.events").counter().count()).isEqualTo(1.0);
    assertThat(registry.find("vertx.eventbus.published").counters()).hasSize(2);
  }
}
