package dev.bazaar.order;

import dev.bazaar.order.api.OrdersApi;
import dev.bazaar.order.catalog.ProductCatalog;
import dev.bazaar.order.store.OrderStore;
import dev.bazaar.platform.auth.AuthHandler;
import dev.bazaar.platform.boot.ServiceRuntime;
import dev.bazaar.platform.config.ConfigLoader;
import dev.bazaar.platform.db.Database;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;

/** order-service: orders, priced from the catalog at order time, and their state machine. */
public class OrderServiceVerticle extends VerticleBase {
  public static final String NAME = "order-service";

  private ServiceRuntime runtime;
  private Pool pool;

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
          AuthHandler auth = new AuthHandler(runtime.jwtVerifier(config.auth()));
          OrderStore orders = new OrderStore(pool);
          ProductCatalog catalog = new ProductCatalog(runtime.eventBusClient());
          runtime.health().database(pool);
          Router router = runtime.router(config.http());
          new OrdersApi(orders, catalog, auth, config.paymentTokenPattern()).mount(router);
          return runtime.serve(router, config.http());
        }));
  }

  @Override
  public Future<?> stop() {
    Future<Void> stopped = runtime == null ? Future.succeededFuture() : runtime.stop();
    return stopped.eventually(() -> pool == null ? Future.succeededFuture() : pool.close());
  }
}
