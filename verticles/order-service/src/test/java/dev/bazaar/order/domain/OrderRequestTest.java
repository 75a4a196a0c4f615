package dev.bazaar.order.domain;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OrderRequestTest {
  static final UUID A = UUID.fromString("00000000-0000-0000-0000-00000000000a");
  static final UUID B = UUID.fromString("00000000-0000-0000-0000-00000000000b");

  @Test
  void fingerprintIgnoresLineOrderButNotContent() {
    OrderRequest ab = new OrderRequest(List.of(new RequestedLine(A, 1), new RequestedLine(B, 2)), "tok_ok");
    OrderRequest ba = new OrderRequest(List.of(new RequestedLine(B, 2), new RequestedLine(A, 1)), "tok_ok");
    assertThat(ab.fingerprint()).isEqualTo(ba.fingerprint()).matches("[0-9a-f]{64}");
    assertThat(new OrderRequest(List.of(new RequestedLine(A, 1), new RequestedLine(B, 3)), "tok_ok").fingerprint())
      .isNotEqualTo(ab.fingerprint());
    assertThat(new OrderRequest(List.of(new RequestedLine(A, 1), new RequestedLine(B, 2)), "tok_declined").fingerprint())
      .isNotEqualTo(ab.fingerprint());
    assertThat(new OrderRequest(List.of(new RequestedLine(A, 1)), "tok_ok").fingerprint()).isNotEqualTo(ab.fingerprint());
  }

  @Test
  void rejectsWhatTheApiMustNeverLetThrough() {
    assertThatThrownBy(() -> new OrderRequest(List.of(), "tok_ok")).isInstanceOf(IllegalArgumentException.class);
    List<RequestedLine> tooMany = new ArrayList<>();
    for (int i = 0; i < 51; i++) {
      tooMany.add(new RequestedLine(UUID.randomUUID(), 1));
    }
    assertThatThrownBy(() -> new OrderRequest(tooMany, "tok_ok")).isInstanceOf(IllegalArgumentException.class);
    assertThat(new OrderRequest(tooMany.subList(0, 50), "tok_ok").lines()).hasSize(50);
    assertThatThrownBy(() -> new OrderRequest(List.of(new RequestedLine(A, 1), new RequestedLine(A, 2)), "tok_ok"))
      .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RequestedLine(A, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RequestedLine(A, 1001)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void idempotencyKeysArePrintableAndBounded() {
    assertThat(IdempotencyKey.isValid("k")).isTrue();
    assertThat(IdempotencyKey.isValid("order 2024-01-01 #1")).isTrue();
    assertThat(IdempotencyKey.isValid("x".repeat(100))).isTrue();
    assertThat(IdempotencyKey.isValid("x".repeat(101))).isFalse();
    assertThat(IdempotencyKey.isValid("")).isFalse();
    assertThat(IdempotencyKey.isValid("   ")).isFalse();
    assertThat(IdempotencyKey.isValid("tab\there")).isFalse();
    assertThat(IdempotencyKey.isValid("ünïcode")).isFalse();
    assertThat(IdempotencyKey.parse(null)).isEmpty();
    assertThatThrownBy(() -> IdempotencyKey.parse("")).isInstanceOf(IllegalArgumentException.class);
  }
}
