package dev.bazaar.order;

import dev.bazaar.order.api.OrdersApi;
import dev.bazaar.order.catalog.ProductCatalog;
import dev.bazaar.order.events.DeadlineSweeper;
import dev.bazaar.order.events.OrderSaga;
import dev.bazaar.order.metrics.OrderMetrics;
import dev.bazaar.order.store.OrderStore;
import dev.bazaar.platform.auth.AuthHandler;
import dev.bazaar.platform.boot.ServiceRuntime;
import dev.bazaar.platform.config.ConfigLoader;
import dev.bazaar.platform.db.Database;
import dev.bazaar.platform.events.OrderEvent;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;

import java.time.Duration;

/**
 * order-service: orders, priced from the catalog at order time, and their state machine, settled by
 * the choreographed saga (DESIGN §4): OrderCreated/OrderConfirmed/OrderCancelled out through the
 * outbox, inventory and payment outcomes in through an idempotent consumer, overdue orders
 * cancelled by the deadline sweeper.
 */
public class OrderServiceVerticle extends VerticleBase {
  public static final String NAME = "order-service";

  private ServiceRuntime runtime;
  private Pool pool;
  private DeadlineSweeper sweeper;
  private OrderMetrics metrics;
  private Future<Void> stopped;

  @Override
  public Future<?> start() {
    return ConfigLoader.load(vertx, NAME, config())
      .map(OrderServiceConfig::from)
      .compose(config -> Database.open(vertx, config.db())
        .compose(opened -> {
          pool = opened;
          return ServiceRuntime.create(vertx, NAME);
        })
        .compose(created -> {
          runtime = created;
          runtime.clients(config.client());
          runtime.health().database(pool);
          metrics = OrderMetrics.create();
          metrics.start(vertx, pool);
          return runtime.startOutboxRelay(pool, config.db(), config.kafka(), OrderEvent.TOPIC);
        })
        .compose(relay -> runtime.startConsumer(OrderSaga.consumer(vertx, pool, config.kafka(), metrics)))
        .compose(consumer -> {
          sweeper = new DeadlineSweeper(vertx, pool, config.saga(), metrics, consumer::caughtUp);
          sweeper.start();
          AuthHandler auth = new AuthHandler(runtime.jwtVerifier(config.auth()));
          OrderStore orders = new OrderStore(pool, Duration.ofSeconds(config.saga().deadlineSeconds()));
          ProductCatalog catalog = new ProductCatalog(runtime.eventBusClient());
          Router router = runtime.router(config.http());
          new OrdersApi(orders, catalog, auth, config.paymentTokenPattern(), config.paymentTokenSeal()).mount(router);
          return runtime.serve(router, config.http());
        }))
      // a start that failed half-way (Kafka unreachable, say) releases what it had taken
      .recover(err -> stop().transform(ar -> Future.failedFuture(err)));
  }

  @Override
  public Future<?> stop() {
    if (stopped == null) {
      // the sweeper first (no new cancellations), then discovery, consumers and relay, then the pool
      if (metrics != null) {
        metrics.stop(vertx);
      }
      Future<Void> swept = sweeper == null ? Future.succeededFuture() : sweeper.stop();
      stopped = swept
        .transform(ar -> runtime == null ? Future.<Void>succeededFuture() : runtime.stop())
        .eventually(() -> pool == null ? Future.succeededFuture() : pool.close());
    }
    return stopped;
  }
}
