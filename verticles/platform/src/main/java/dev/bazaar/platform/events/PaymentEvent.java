package dev.bazaar.platform.events;

/** The events of {@value #TOPIC}, produced by payment-service. */
public sealed interface PaymentEvent extends SagaEvent permits PaymentSucceeded, PaymentFailed, PaymentRefunded {
  String TOPIC = "payment-events";
}
