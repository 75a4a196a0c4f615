package dev.bazaar.system;

/**
 * {@link OrderSagaIT} against the monolith: the saga still goes through Kafka, each service's
 * outbox and idempotent consumer, only the JVM is shared. Killing one service mid-flow is skipped:
 * there it cannot die alone.
 */
class OrderSagaMonolithIT extends OrderSagaIT implements BazaarCluster.Monolith {
}
