package dev.bazaar.product;

import dev.bazaar.platform.boot.ServiceRuntime;
import dev.bazaar.platform.boot.ServiceVerticle;
import dev.bazaar.product.api.ProductLookupBus;
import dev.bazaar.product.api.ProductsApi;
import dev.bazaar.product.client.InventoryClient;
import dev.bazaar.product.store.ProductStore;
import io.vertx.core.Future;

/** product-service: the catalog (products, prices, descriptions), with live stock from inventory-service. */
public class ProductServiceVerticle extends ServiceVerticle<ProductServiceConfig> {
  public static final String NAME = "product-service";

  public ProductServiceVerticle() {
    super(NAME, ProductServiceConfig::from);
  }

  @Override
  protected Future<?> declare(ServiceRuntime runtime, ProductServiceConfig config) {
    ProductStore products = new ProductStore(runtime.pool());
    InventoryClient inventory = new InventoryClient(runtime.eventBusClient());
    new ProductsApi(products, inventory, runtime.auth(), config.currencies()).mount(runtime.router());
    runtime.eventBus(new ProductLookupBus(products).register(vertx.eventBus()));
    return Future.succeededFuture();
  }
}
