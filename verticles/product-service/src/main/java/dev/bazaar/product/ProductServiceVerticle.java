package dev.bazaar.product;

import dev.bazaar.platform.auth.AuthHandler;
import dev.bazaar.platform.auth.JwtVerifier;
import dev.bazaar.platform.boot.ServiceRuntime;
import dev.bazaar.platform.config.ConfigLoader;
import dev.bazaar.platform.db.Database;
import dev.bazaar.product.api.ProductLookupBus;
import dev.bazaar.product.api.ProductsApi;
import dev.bazaar.product.client.InventoryClient;
import dev.bazaar.product.store.ProductStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;

/** product-service: the catalog (products, prices, descriptions), with live stock from inventory-service. */
public class ProductServiceVerticle extends VerticleBase {
  public static final String NAME = "product-service";

  private ServiceRuntime runtime;
  private Pool pool;
  private MessageConsumer<Object> lookups;

  @Override
  public Future<?> start() {
    return ConfigLoader.load(vertx, NAME, config())
      .map(ProductServiceConfig::from)
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
          ProductStore products = new ProductStore(pool);
          InventoryClient inventory = new InventoryClient(runtime.eventBusClient());
          runtime.health().database(pool);
          Router router = runtime.router(config.http());
          new ProductsApi(products, inventory, new AuthHandler(verifier), config.currencies()).mount(router);
          lookups = new ProductLookupBus(products).register(vertx.eventBus());
          return lookups.completion()
            .compose(v -> runtime.serve(router, config.http()));
        }));
  }

  @Override
  public Future<?> stop() {
    // stop taking requests (bus, then discovery and HTTP) before the pool they need goes away
    Future<Void> unregistered = lookups == null ? Future.succeededFuture() : lookups.unregister();
    return unregistered
      .eventually(() -> runtime == null ? Future.succeededFuture() : runtime.stop())
      .eventually(() -> pool == null ? Future.succeededFuture() : pool.close());
  }
}
