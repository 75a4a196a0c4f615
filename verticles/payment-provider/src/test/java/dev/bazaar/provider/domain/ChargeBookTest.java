package dev.bazaar.provider.domain;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChargeBookTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

  private static Supplier<String> sequence() {
    AtomicInteger next = new AtomicInteger();
    return () -> Integer.toString(next.incrementAndGet());
  }

  private static ChargeBook book(int capacity) {
    return new ChargeBook(capacity, sequence(), CLOCK);
  }

  private static ChargeRequest request(String key, CardToken token, long amount) {
    return new ChargeRequest(key, token, amount, "EUR");
  }

  @Test
  void okTokenSucceedsAndIsFoundByIdAndKey() {
    ChargeBook book = book(10);
    ChargeOutcome outcome = book.charge(request("order-1", CardToken.OK, 1234));

    assertThat(outcome).isInstanceOf(ChargeOutcome.Created.class);
    Charge charge = ((ChargeOutcome.Created) outcome).charge();
    assertThat(charge.id()).isEqualTo("ch_1");
    assertThat(charge.status()).isEqualTo(ChargeStatus.SUCCEEDED);
    assertThat(charge.declineReason()).isNull();
    assertThat(charge.amountCents()).isEqualTo(1234);
    assertThat(charge.currency()).isEqualTo("EUR");
    assertThat(charge.createdAtMillis()).isEqualTo(CLOCK.millis());
    assertThat(book.byId("ch_1")).contains(charge);
    assertThat(book.byIdempotencyKey("order-1")).contains(charge);
    assertThat(book.size()).isEqualTo(1);
  }

  @Test
  void declinedTokenIsADeclinedChargeThatIsKept() {
    ChargeBook book = book(10);
    Charge charge = ((ChargeOutcome.Created) book.charge(request("order-2", CardToken.DECLINED, 500))).charge();

    assertThat(charge.status()).isEqualTo(ChargeStatus.DECLINED);
    assertThat(charge.declineReason()).isEqualTo("card_declined");
    assertThat(book.byIdempotencyKey("order-2")).contains(charge);
  }

  @Test
  void sameKeySameRequestReplaysTheSameChargeEvenWhenDeclined() {
    ChargeBook book = book(10);
    Charge ok = ((ChargeOutcome.Created) book.charge(request("k-ok", CardToken.OK, 100))).charge();
    Charge declined = ((ChargeOutcome.Created) book.charge(request("k-declined", CardToken.DECLINED, 100))).charge();

    for (int i = 0; i < 5; i++) {
      assertThat(book.charge(request("k-ok", CardToken.OK, 100))).isEqualTo(new ChargeOutcome.Replayed(ok));
      assertThat(book.charge(request("k-declined", CardToken.DECLINED, 100))).isEqualTo(new ChargeOutcome.Replayed(declined));
    }
    assertThat(book.size()).isEqualTo(2);
  }

  @Test
  void sameKeyWithAnotherAmountTokenOrCurrencyIsRefusedAndChargesNothing() {
    ChargeBook book = book(10);
    Charge first = ((ChargeOutcome.Created) book.charge(request("k", CardToken.OK, 100))).charge();

    assertThat(book.charge(request("k", CardToken.OK, 101))).isEqualTo(new ChargeOutcome.KeyReused(first));
    assertThat(book.charge(request("k", CardToken.DECLINED, 100))).isEqualTo(new ChargeOutcome.KeyReused(first));
    assertThat(book.charge(new ChargeRequest("k", CardToken.OK, 100, "USD"))).isEqualTo(new ChargeOutcome.KeyReused(first));
    assertThat(book.size()).isEqualTo(1);
    assertThat(book.byIdempotencyKey("k")).contains(first);
  }

  @Test
  void refundOnceThenTheSameRefundAgain() {
    ChargeBook book = book(10);
    Charge charge = ((ChargeOutcome.Created) book.charge(request("k", CardToken.OK, 999))).charge();

    RefundOutcome first = book.refund(charge.id());
    assertThat(first).isInstanceOf(RefundOutcome.Created.class);
    Refund refund = ((RefundOutcome.Created) first).refund();
    assertThat(refund.id()).startsWith("re_");
    assertThat(refund.chargeId()).isEqualTo(charge.id());
    assertThat(refund.amountCents()).isEqualTo(999);
    assertThat(refund.currency()).isEqualTo("EUR");

    assertThat(book.refund(charge.id())).isEqualTo(new RefundOutcome.Replayed(refund));
    // both indexes see the refund; the charge itself is unchanged otherwise
    assertThat(book.byId(charge.id()).orElseThrow().refund()).isEqualTo(refund);
    assertThat(book.byIdempotencyKey("k").orElseThrow().refund()).isEqualTo(refund);
    assertThat(book.byId(charge.id()).orElseThrow().status()).isEqualTo(ChargeStatus.SUCCEEDED);
    // a replayed charge shows its refund too
    assertThat(((ChargeOutcome.Replayed) book.charge(request("k", CardToken.OK, 999))).charge().refund()).isEqualTo(refund);
  }

  @Test
  void refundOfUnknownOrDeclinedChargeIsRefused() {
    ChargeBook book = book(10);
    Charge declined = ((ChargeOutcome.Created) book.charge(request("k", CardToken.DECLINED, 100))).charge();

    assertThat(book.refund("ch_nope")).isEqualTo(new RefundOutcome.NotFound("ch_nope"));
    assertThat(book.refund(declined.id())).isEqualTo(new RefundOutcome.NotRefundable(declined));
    assertThat(book.byId(declined.id()).orElseThrow().refund()).isNull();
  }

  @Test
  void whenFullTheOldestChargeIsForgottenAndTheBookNeverGrows() {
    ChargeBook book = book(3);
    Charge first = ((ChargeOutcome.Created) book.charge(request("k1", CardToken.OK, 1))).charge();
    book.charge(request("k2", CardToken.OK, 2));
    book.charge(request("k3", CardToken.OK, 3));
    // a refund or a replay does not make a charge younger
    book.refund(first.id());
    book.charge(request("k1", CardToken.OK, 1));

    book.charge(request("k4", CardToken.OK, 4));

    assertThat(book.size()).isEqualTo(3);
    assertThat(book.evicted()).isEqualTo(1);
    assertThat(book.byIdempotencyKey("k1")).isEmpty();
    assertThat(book.byId(first.id())).isEmpty();
    assertThat(book.byIdempotencyKey("k2")).isPresent();
    assertThat(book.byIdempotencyKey("k4")).isPresent();

    for (int i = 5; i < 100; i++) {
      book.charge(request("k" + i, CardToken.OK, i));
    }
    assertThat(book.size()).isEqualTo(3);
    assertThat(book.evicted()).isEqualTo(96); // 99 charges made, 3 kept
    assertThat(book.byIdempotencyKey("k99")).isPresent();
    assertThat(book.byIdempotencyKey("k96")).isEmpty();
  }

  @Test
  void collidingRandomIdsAreDrawnAgain() {
    String[] ids = {"a", "a", "b"};
    AtomicInteger next = new AtomicInteger();
    ChargeBook book = new ChargeBook(10, () -> ids[next.getAndIncrement()], CLOCK);
    Charge first = ((ChargeOutcome.Created) book.charge(request("k1", CardToken.OK, 1))).charge();
    Charge second = ((ChargeOutcome.Created) book.charge(request("k2", CardToken.OK, 1))).charge();

    assertThat(first.id()).isEqualTo("ch_a");
    assertThat(second.id()).isEqualTo("ch_b");
  }

  @Test
  void requestsAreValidatedAtTheBoundary() {
    assertThatThrownBy(() -> new ChargeRequest("", CardToken.OK, 1, "EUR")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ChargeRequest("x".repeat(101), CardToken.OK, 1, "EUR")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ChargeRequest("k", CardToken.OK, 0, "EUR")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ChargeRequest("k", CardToken.OK, 100_000_001, "EUR")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ChargeRequest("k", CardToken.OK, 1, "eur")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ChargeBook(0, sequence(), CLOCK)).isInstanceOf(IllegalArgumentException.class);
    assertThat(new ChargeRequest("x".repeat(100), CardToken.OK, 100_000_000, "JPY").amountCents()).isEqualTo(100_000_000);
  }

  @Test
  void tokensParse() {
    assertThat(CardToken.parse("tok_ok")).contains(CardToken.OK);
    assertThat(CardToken.parse("tok_declined")).contains(CardToken.DECLINED);
    assertThat(CardToken.parse("tok_OK")).isEmpty();
    assertThat(CardToken.parse("tok_visa")).isEmpty();
    assertThat(CardToken.parse(null)).isEmpty();
  }
}
