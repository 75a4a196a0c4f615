package dev.bazaar.order;

import dev.bazaar.order.api.OrdersApi;
import dev.bazaar.order.client.ProductCatalog;
import dev.bazaar.order.events.DeadlineSweeper;

import dev.bazaar.order.events.OrderSaga;
import dev.bazaar.order.metrics.OrderMetrics;
import dev.bazaar.order.store.OrderStore;
import dev.bazaar.platform.boot.ServiceRuntime;
import dev.bazaar.platform.boot.ServiceRuntime.Background;
import dev.bazaar.platform.boot.ServiceVerticle;
import dev.bazaar.platform.events.OrderEvent;
import dev.bazaar.platform.messaging.IdempotentConsumer;
import io.vertx.core.Future;

import java.time.Duration;

/**
 * order-service: orders, priced from the catalog at order time, and their state machine, settled by
 * the choreographed saga (DESIGN §4): OrderCreated/OrderConfirmed/OrderCancelled out through the
 * outbox, inventory and payment outcomes in through an idempotent consumer, overdue orders
 * cancelled by the deadline sweeper.
 */
public class OrderServiceVerticle extends ServiceVerticle<OrderServiceConfig> {
  public static final String NAME = "order-service";

  public OrderServiceVerticle() {
    super(NAME, OrderServiceConfig::from);
  }

  @Override
  protected Future<?> declare(ServiceRuntime runtime, OrderServiceConfig config) {
    OrderMetrics metrics = OrderMetrics.create();
    runtime.background(Background.of(() -> metrics.start(vertx, runtime.pool()), () -> {
      metrics.stop(vertx);
      return Future.succeededFuture();
    }));
    IdempotentConsumer saga = runtime.outbox(OrderEvent.TOPIC)
      .consumer(kafka -> OrderSaga.consumer(vertx, runtime.pool(), kafka, metrics));
    if (saga != null) {
      // no cancellation while outcomes already in Kafka are still unread
      runtime.background(new DeadlineSweeper(vertx, runtime.pool(), config.saga(), metrics, saga::caughtUp));
    }
    OrderStore orders = new OrderStore(runtime.pool(), Duration.ofSeconds(config.saga().deadlineSeconds()));
    ProductCatalog catalog = new ProductCatalog(runtime.eventBusClient());
    new OrdersApi(orders, catalog, runtime.auth(), config.paymentTokenPattern(), config.paymentTokenSeal()).mount(runtime.router());
    return Future.succeededFuture();
  }
}
