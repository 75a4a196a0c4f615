package dev.bazaar.payment;

import dev.bazaar.payment.api.PaymentsApi;
import dev.bazaar.payment.charging.Charger;
import dev.bazaar.payment.events.SagaConsumer;
import dev.bazaar.payment.provider.ProviderClient;
import dev.bazaar.payment.store.OrderFactsStore;
import dev.bazaar.payment.store.PaymentStore;
import dev.bazaar.platform.auth.AuthHandler;
import dev.bazaar.platform.boot.ServiceRuntime;
import dev.bazaar.platform.config.ConfigLoader;
import dev.bazaar.platform.db.Database;
import dev.bazaar.platform.events.PaymentEvent;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;

/**
 * payment-service: payments of orders, charged at the external provider with the saga (consumes
 * inventory-events and order-events, publishes payment-events through its outbox), readable by their owners.
 */
public class PaymentServiceVerticle extends VerticleBase {
  public static final String NAME = "payment-service";

  private ServiceRuntime runtime;
  private Pool pool;
  private ProviderClient provider;
  private Charger charger;

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
          runtime.health().database(pool);
          PaymentStore payments = new PaymentStore(pool);
          OrderFactsStore facts = new OrderFactsStore(pool);
          provider = new ProviderClient(vertx, config.provider());
          charger = new Charger(vertx, pool, payments, facts, provider, config.charging());
          SagaConsumer saga = new SagaConsumer(payments, facts, charger, config.charging(), config.paymentTokenSeal());
          return runtime.startOutboxRelay(pool, config.db(), config.kafka(), PaymentEvent.TOPIC)
            .compose(relay -> runtime.startConsumer(saga.build(vertx, pool, config.kafka())))
            .compose(consumer -> {
              charger.start();
              AuthHandler auth = new AuthHandler(runtime.jwtVerifier(config.auth()));
              Router router = runtime.router(config.http());
              new PaymentsApi(payments, auth).mount(router);
              return runtime.serve(router, config.http());
            });
        }));
  }

  @Override
  public Future<?> stop() {
    Future<Void> charging = charger == null ? Future.succeededFuture() : charger.stop();
    return charging
      .eventually(() -> runtime == null ? Future.succeededFuture() : runtime.stop())
      .eventually(() -> provider == null ? Future.succeededFuture() : provider.close())
      .eventually(() -> pool == null ? Future.succeededFuture() : pool.close());
  }
}
