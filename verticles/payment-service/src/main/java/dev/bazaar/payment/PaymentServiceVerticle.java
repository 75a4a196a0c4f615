package dev.bazaar.payment;

import dev.bazaar.payment.api.PaymentsApi;
import dev.bazaar.payment.store.PaymentStore;
import dev.bazaar.platform.auth.AuthHandler;
import dev.bazaar.platform.boot.ServiceRuntime;
import dev.bazaar.platform.config.ConfigLoader;
import dev.bazaar.platform.db.Database;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;

/** payment-service: payments of orders (charged at the provider with the saga), readable by their owners. */
public class PaymentServiceVerticle extends VerticleBase {
  public static final String NAME = "payment-service";

  private ServiceRuntime runtime;
  private Pool pool;

  @Override
  public Future<?> start() {
    return ConfigLoader.load(vertx, NAME, config())
      .map(PaymentServiceConfig::from)
      .compose(config -> Database.open(vertx, config.db())
        .compose(opened -> {
          pool = opened;
          return ServiceRuntime.create(vertx, NAME);
        })
        .compose(created -> {
          runtime = created;
          runtime.clients(config.client());
          AuthHandler auth = new AuthHandler(runtime.jwtVerifier(config.auth()));
          PaymentStore payments = new PaymentStore(pool);
          runtime.health().database(pool);
          Router router = runtime.router(config.http());
          new PaymentsApi(payments, auth).mount(router);
          return runtime.serve(router, config.http());
        }));
  }

  @Override
  public Future<?> stop() {
    Future<Void> stopped = runtime == null ? Future.succeededFuture() : runtime.stop();
    return stopped.eventually(() -> pool == null ? Future.succeededFuture() : pool.close());
  }
}
