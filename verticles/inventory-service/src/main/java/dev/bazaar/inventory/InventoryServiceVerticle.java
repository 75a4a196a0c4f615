package dev.bazaar.inventory;

import dev.bazaar.inventory.api.StockApi;
import dev.bazaar.inventory.api.StockBus;
import dev.bazaar.inventory.events.OrderEventsConsumer;
import dev.bazaar.inventory.store.ReservationStore;
import dev.bazaar.inventory.store.StockStore;
import dev.bazaar.platform.auth.AuthHandler;
import dev.bazaar.platform.auth.JwtVerifier;
import dev.bazaar.platform.boot.ServiceRuntime;
import dev.bazaar.platform.config.ConfigLoader;
import dev.bazaar.platform.db.Database;
import dev.bazaar.platform.events.InventoryEvent;
import dev.bazaar.platform.messaging.KafkaSettings;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/** inventory-service: stock levels per product and stock reservations per order, and its part of the order saga. */
public class InventoryServiceVerticle extends VerticleBase {
  public static final String NAME = "inventory-service";
  private static final Logger LOG = LoggerFactory.getLogger(InventoryServiceVerticle.class);

  private ServiceRuntime runtime;
  private Pool pool;
  private final List<MessageConsumer<Object>> consumers = new ArrayList<>();

  @Override
  public Future<?> start() {
    return ConfigLoader.load(vertx, NAME, config())
      .map(InventoryServiceConfig::from)
      .compose(config -> Database.open(vertx, config.db())
        .compose(opened -> {
          pool = opened;
          return ServiceRuntime.create(vertx, NAME);
        })
        .compose(created -> {
          runtime = created;
          runtime.clients(config.client());
          JwtVerifier verifier = runtime.jwtVerifier(config.auth());
          // warm the JWKS so the first admin request does not wait; a failure here is retried on use
          verifier.refresh();
          StockStore stock = new StockStore(pool);
          ReservationStore reservations = new ReservationStore();
          runtime.health().database(pool);
          Router router = runtime.router(config.http());
          new StockApi(stock, new AuthHandler(verifier)).mount(router);
          consumers.add(new StockBus(stock).register(vertx.eventBus()));
          return Future.all(consumers.stream().map(MessageConsumer::completion).toList())
            .compose(v -> startSaga(config, reservations))
            .compose(v -> runtime.serve(router, config.http()));
        }));
  }

  /** The order saga: the outbox relay of inventory-events, then the consumer of order-events. */
  private Future<Void> startSaga(InventoryServiceConfig config, ReservationStore reservations) {
    KafkaSettings kafka = config.kafka();
    if (kafka == null) {
      LOG.warn("no kafka section in the configuration: inventory-service takes no part in the order saga");
      return Future.succeededFuture();
    }
    return runtime.startOutboxRelay(pool, config.db(), kafka, InventoryEvent.TOPIC)
      .compose(relay -> runtime.startConsumer(new OrderEventsConsumer(reservations).build(vertx, pool, kafka)))
      .mapEmpty();
  }

  @Override
  public Future<?> stop() {
    // stop taking requests (bus, then discovery and HTTP) before the pool they need goes away
    Future<Void> unregistered = Future.join(consumers.stream().map(MessageConsumer::unregister).toList()).mapEmpty();
    return unregistered
      .eventually(() -> runtime == null ? Future.succeededFuture() : runtime.stop())
      .eventually(() -> pool == null ? Future.succeededFuture() : pool.close());
  }
}
