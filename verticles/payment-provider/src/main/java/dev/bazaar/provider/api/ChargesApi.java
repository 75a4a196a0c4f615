package dev.bazaar.provider.api;

import dev.bazaar.platform.http.ApiException;
import dev.bazaar.platform.http.Json;
import dev.bazaar.platform.http.Validation;
import dev.bazaar.provider.domain.CardToken;
import dev.bazaar.provider.domain.Charge;
import dev.bazaar.provider.domain.ChargeBook;
import dev.bazaar.provider.domain.ChargeOutcome;
import dev.bazaar.provider.domain.ChargeRequest;
import dev.bazaar.provider.domain.ChargeStatus;
import dev.bazaar.provider.domain.Refund;
import dev.bazaar.provider.domain.RefundOutcome;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.math.BigInteger;
import java.time.Instant;

/**
 * The processor's API, like a card processor's:
 * <pre>
 * POST /v1/charges {idempotencyKey, token, amountCents, currency}
 *      → 201 succeeded charge | 402 declined charge | 400 invalid_token / validation | 409 idempotency_key_reused
 *      (a key seen before with the same request: the same answer again, Idempotent-Replayed: true)
 * GET  /v1/charges/{id}                  → 200 charge | 404
 * GET  /v1/charges?idempotencyKey={key}  → 200 charge | 404
 * POST /v1/refunds {chargeId}            → 201 refund (again: the same one, Idempotent-Replayed: true)
 *      | 404 no such charge | 409 charge_not_refundable (declined)
 * </pre>
 */
public record ChargesApi(ChargeBook book, FaultInjector faults, ProviderMetrics metrics) {
  private static final int MAX_ID_LENGTH = 100;

  public void mount(Router router) {
    router.post("/v1/charges").handler(faults.handler(this::charge));
    router.get("/v1/charges").handler(faults.handler(this::findByKey));
    router.get("/v1/charges/:id").handler(faults.handler(this::findById));
    router.post("/v1/refunds").handler(faults.handler(this::refund));
  }

  private Reply charge(RoutingContext ctx) {
    ChargeRequest request = chargeRequest(Json.body(ctx));
    ChargeOutcome outcome = book.charge(request);
    if (outcome instanceof ChargeOutcome.Created created) {
      metrics.charged(created.charge().status());
      return chargeReply(created.charge());
    }
    if (outcome instanceof ChargeOutcome.Replayed replayed) {
      metrics.chargeReplayed();
      return chargeReply(replayed.charge()).replayed();
    }
    Charge existing = ((ChargeOutcome.KeyReused) outcome).existing();
    throw ApiException.conflict("idempotency_key_reused", "Idempotency key '" + request.idempotencyKey()
      + "' was used for a different charge (" + existing.id() + "); a new charge needs a new key.");
  }

  private Reply findById(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return book.byId(id)
      .map(charge -> Reply.json(200, chargeJson(charge)))
      .orElseThrow(() -> ApiException.notFound("No charge " + id + "."));
  }

  private Reply findByKey(RoutingContext ctx) {
    String key = ctx.queryParams().get("idempotencyKey");
    Validation validation = new Validation();
    if (key == null || key.isEmpty()) {
      validation.reject("idempotencyKey", "is required (query parameter)");
    } else if (key.length() > ChargeRequest.MAX_KEY_LENGTH) {
      validation.reject("idempotencyKey", "must be 1 to " + ChargeRequest.MAX_KEY_LENGTH + " characters");
    }
    validation.check();
    return book.byIdempotencyKey(key.strip())
      .map(charge -> Reply.json(200, chargeJson(charge)))
      .orElseThrow(() -> ApiException.notFound("No charge with idempotency key '" + key + "'."));
  }

  private Reply refund(RoutingContext ctx) {
    JsonObject body = Json.body(ctx);
    Validation validation = new Validation();
    String chargeId = validation.string(body, "chargeId", 1, MAX_ID_LENGTH);
    validation.check();
    RefundOutcome outcome = book.refund(chargeId);
    if (outcome instanceof RefundOutcome.Created created) {
      metrics.refunded();
      return Reply.json(201, refundJson(created.refund()));
    }
    if (outcome instanceof RefundOutcome.Replayed replayed) {
      metrics.refundReplayed();
      return Reply.json(201, refundJson(replayed.refund())).replayed();
    }
    if (outcome instanceof RefundOutcome.NotRefundable) {
      throw ApiException.conflict("charge_not_refundable", "Charge " + chargeId + " was declined: there is nothing to refund.");
    }
    throw ApiException.notFound("No charge " + chargeId + ".");
  }

  /** Every field checked at once (400 validation with all errors), then the token (400 invalid_token). */
  static ChargeRequest chargeRequest(JsonObject body) {
    Validation validation = new Validation();
    String key = validation.string(body, "idempotencyKey", 1, ChargeRequest.MAX_KEY_LENGTH);
    String token = validation.string(body, "token", 1, MAX_ID_LENGTH);
    Long amount = amountCents(validation, body.getValue("amountCents"));
    String currency = validation.string(body, "currency", 3, 3);
    if (currency != null && !ChargeRequest.isCurrency(currency)) {
      validation.reject("currency", "must be an ISO 4217 code: 3 uppercase letters");
    }
    validation.check();
    CardToken card = CardToken.parse(token).orElseThrow(() -> new ApiException(400, "invalid_token", "Invalid token",
      "Unknown card token; the simulator knows tok_ok (succeeds) and tok_declined (declined)."));
    return new ChargeRequest(key, card, amount, currency);
  }

  private static Long amountCents(Validation validation, Object value) {
    String rule = "must be an integer from 1 to " + ChargeRequest.MAX_AMOUNT_CENTS + " (cents)";
    if (value == null) {
      validation.reject("amountCents", "is required");
      return null;
    }
    if (!(value instanceof Integer || value instanceof Long || value instanceof BigInteger)) {
      validation.reject("amountCents", rule);
      return null;
    }
    Number number = (Number) value;
    if (value instanceof BigInteger || number.longValue() < 1 || number.longValue() > ChargeRequest.MAX_AMOUNT_CENTS) {
      validation.reject("amountCents", rule);
      return null;
    }
    return number.longValue();
  }

  private static Reply chargeReply(Charge charge) {
    return Reply.json(charge.status() == ChargeStatus.SUCCEEDED ? 201 : 402, chargeJson(charge))
      .header("Location", "/v1/charges/" + charge.id());
  }

  static JsonObject chargeJson(Charge charge) {
    JsonObject json = new JsonObject()
      .put("id", charge.id())
      .put("status", charge.status().value())
      .put("amountCents", charge.amountCents())
      .put("currency", charge.currency())
      .put("idempotencyKey", charge.idempotencyKey())
      .put("createdAt", Instant.ofEpochMilli(charge.createdAtMillis()).toString());
    if (charge.declineReason() != null) {
      json.put("reason", charge.declineReason());
    }
    if (charge.refund() != null) {
      json.put("refundId", charge.refund().id());
    }
    return json;
  }

  static JsonObject refundJson(Refund refund) {
    return new JsonObject()
      .put("id", refund.id())
      .put("chargeId", refund.chargeId())
      .put("status", "succeeded")
      .put("amountCents", refund.amountCents())
      .put("currency", refund.currency())
      .put("createdAt", Instant.ofEpochMilli(refund.createdAtMillis()).toString());
  }
}
