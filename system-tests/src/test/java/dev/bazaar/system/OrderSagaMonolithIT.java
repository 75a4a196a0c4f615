package dev.bazaar.system;

import org.junit.jupiter.api.BeforeAll;

/**
 * {@link OrderSagaIT} against the monolith: the saga still goes through Kafka, each service's
 * outbox and idempotent consumer, only the JVM is shared. Killing one service mid-flow is skipped:
 * there it cannot die alone.
 */
class OrderSagaMonolithIT extends OrderSagaIT {

  @BeforeAll
  static void start() throws Exception {
    startIn(BazaarCluster.Mode.MONOLITH);
  }
}
