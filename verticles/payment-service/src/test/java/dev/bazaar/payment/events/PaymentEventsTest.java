package dev.bazaar.payment.events;

import dev.bazaar.payment.domain.ChargeRequest;
import dev.bazaar.payment.domain.FailureReason;
import dev.bazaar.platform.events.EventCodec;
import dev.bazaar.platform.events.PaymentRefunded;
import dev.bazaar.platform.events.PaymentSucceeded;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PaymentEventsTest {
  static final UUID ORDER = UUID.randomUUID();
  static final UUID USER = UUID.randomUUID();
  static final UUID PAYMENT = UUID.randomUUID();

  @Test
  void payloadsAreTheContract() {
    JsonObject ok = EventCodec.payload(new PaymentSucceeded(USER, PAYMENT, 1234, "EUR"));
    assertThat(ok).isEqualTo(new JsonObject().put("userId", USER.toString()).put("paymentId", PAYMENT.toString())
      .put("amountCents", 1234L).put("currency", "EUR"));
    assertThat(EventCodec.payload(new PaymentRefunded(USER, PAYMENT, 1234, "EUR"))).isEqualTo(ok);
    for (FailureReason reason : FailureReason.values()) {
      assertThat(EventCodec.payload(PaymentEvents.failed(USER, reason)))
        .isEqualTo(new JsonObject().put("userId", USER.toString()).put("reason", reason.wire()));
    }
    assertThat(FailureReason.PROVIDER_UNAVAILABLE.wire()).isEqualTo("provider_unavailable");
  }

  @Test
  void traceparentsAreW3c() {
    for (int i = 0; i < 100; i++) {
      assertThat(PaymentEvents.newTraceparent()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01")
        .doesNotContain("-00000000000000000000000000000000-");
    }
  }

  @Test
  void aChargeRequestIsWhatTheProviderTakesAndTheDeadlineDefaults() {
    Instant now = Instant.parse("2026-11-26T12:00:00Z");
    assertThat(ChargeRequest.deadline(null, now, 30_000)).isEqualTo(now.plusSeconds(30));
    assertThat(ChargeRequest.deadline(now.plusSeconds(5), now, 30_000)).isEqualTo(now.plusSeconds(5));
    new ChargeRequest(ORDER, USER, 1, "EUR", "tok_ok", now);
    new ChargeRequest(ORDER, USER, ChargeRequest.MAX_AMOUNT_CENTS, "EUR", "tok_ok", now);
    assertThatThrownBy(() -> new ChargeRequest(ORDER, USER, 0, "EUR", "tok_ok", now)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ChargeRequest(ORDER, USER, ChargeRequest.MAX_AMOUNT_CENTS + 1, "EUR", "tok_ok", now))
      .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ChargeRequest(ORDER, USER, 5, "eur", "tok_ok", now)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ChargeRequest(ORDER, USER, 5, "EUR", " ", now)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ChargeRequest(ORDER, USER, 5, "EUR", "t".repeat(101), now)).isInstanceOf(IllegalArgumentException.class);
  }
}
