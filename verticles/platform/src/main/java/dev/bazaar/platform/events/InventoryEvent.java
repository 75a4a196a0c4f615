package dev.bazaar.platform.events;

/** The events of {@value #TOPIC}, produced by inventory-service. */
public sealed interface InventoryEvent extends SagaEvent permits StockReserved, StockRejected, StockReleased {
  String TOPIC = "inventory-events";
}
