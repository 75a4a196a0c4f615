package dev.bazaar.inventory;

import dev.bazaar.inventory.api.StockApi;
import dev.bazaar.inventory.api.StockBus;
import dev.bazaar.inventory.events.OrderEventsConsumer;
import dev.bazaar.inventory.store.ReservationStore;
import dev.bazaar.inventory.store.StockStore;
import dev.bazaar.platform.boot.ServiceRuntime;
import dev.bazaar.platform.boot.ServiceSettings;
import dev.bazaar.platform.boot.ServiceVerticle;
import dev.bazaar.platform.events.InventoryEvent;
import io.vertx.core.Future;

/** inventory-service: stock levels per product and stock reservations per order, and its part of the order saga. */
public class InventoryServiceVerticle extends ServiceVerticle<ServiceSettings> {
  public static final String NAME = "inventory-service";

  public InventoryServiceVerticle() {
    super(NAME, config -> ServiceSettings.from(config, NAME));
  }

  @Override
  protected Future<?> declare(ServiceRuntime runtime, ServiceSettings config) {
    StockStore stock = new StockStore(runtime.pool());
    ReservationStore reservations = new ReservationStore();
    new StockApi(stock, runtime.auth()).mount(runtime.router());
    runtime.eventBus(new StockBus(stock).register(vertx.eventBus()))
      .outbox(InventoryEvent.TOPIC)
      .consumer(kafka -> new OrderEventsConsumer(reservations).build(vertx, runtime.pool(), kafka));
    return Future.succeededFuture();
  }
}
