package dev.bazaar.payment;

import dev.bazaar.payment.api.PaymentsApi;
import dev.bazaar.payment.charging.Charger;
import dev.bazaar.payment.events.SagaConsumer;
import dev.bazaar.payment.client.ProviderClient;
import dev.bazaar.payment.store.OrderFactsStore;
import dev.bazaar.payment.store.PaymentStore;
import dev.bazaar.platform.boot.ServiceRuntime;
import dev.bazaar.platform.boot.ServiceVerticle;
import dev.bazaar.platform.events.PaymentEvent;
import io.vertx.core.Future;

/**
 * payment-service: payments of orders, charged at the external provider with the saga (consumes
 * inventory-events and order-events, publishes payment-events through its outbox), readable by their owners.
 */
public class PaymentServiceVerticle extends ServiceVerticle<PaymentServiceConfig> {
  public static final String NAME = "payment-service";

  public PaymentServiceVerticle() {
    super(NAME, PaymentServiceConfig::from);
  }

  @Override
  protected Future<?> declare(ServiceRuntime runtime, PaymentServiceConfig config) {
    PaymentStore payments = new PaymentStore(runtime.pool());
    OrderFactsStore facts = new OrderFactsStore(runtime.pool());
    ProviderClient provider = new ProviderClient(vertx, config.provider());
    runtime.closing(provider::close);
    Charger charger = new Charger(vertx, runtime.pool(), payments, facts, provider, config.charging());
    SagaConsumer saga = new SagaConsumer(payments, facts, charger, config.charging(), config.paymentTokenSeal());
    runtime.outbox(PaymentEvent.TOPIC)
      .consumer(kafka -> saga.build(vertx, runtime.pool(), kafka));
    runtime.background(charger);
    new PaymentsApi(payments, runtime.auth()).mount(runtime.router());
    return Future.succeededFuture();
  }
}
