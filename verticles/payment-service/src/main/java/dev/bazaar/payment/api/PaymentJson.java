package dev.bazaar.payment.api;

import dev.bazaar.payment.domain.Payment;
import io.vertx.core.json.JsonObject;

/** The public shape of a payment (DESIGN §3). */
final class PaymentJson {
  private PaymentJson() {
  }

  static JsonObject of(Payment payment) {
    return new JsonObject()
      .put("id", payment.id().toString())
      .put("orderId", payment.orderId().toString())
      .put("amountCents", payment.amountCents())
      .put("currency", payment.currency())
      .put("status", payment.status().name())
      .put("createdAt", payment.createdAt().toString());
  }
}
