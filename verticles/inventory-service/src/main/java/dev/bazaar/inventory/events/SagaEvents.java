package dev.bazaar.inventory.events;

/** Topics and event types of the order saga that inventory-service consumes and produces (docs/EVENTS.md). */
public final class SagaEvents {
  public static final String ORDER_EVENTS = "order-events";
  public static final String INVENTORY_EVENTS = "inventory-events";

  public static final String ORDER_CREATED = "OrderCreated";
  public static final String ORDER_CONFIRMED = "OrderConfirmed";
  public static final String ORDER_CANCELLED = "OrderCancelled";

  public static final String STOCK_RESERVED = "StockReserved";
  public static final String STOCK_REJECTED = "StockRejected";
  public static final String STOCK_RELEASED = "StockReleased";

  private SagaEvents() {
  }
}
