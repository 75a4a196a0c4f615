package dev.bazaar.platform.events;

/** The events of {@value #TOPIC}, produced by order-service. */
public sealed interface OrderEvent extends SagaEvent permits OrderCreated, OrderConfirmed, OrderCancelled {
  String TOPIC = "order-events";
}
