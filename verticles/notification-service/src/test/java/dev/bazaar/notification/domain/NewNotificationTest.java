package dev.bazaar.notification.domain;

import dev.bazaar.platform.validation.FieldError;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NewNotificationTest {
  private static final String USER = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";

  @Test
  void aValidNotificationIsTrimmedAndTyped() {
    assertThat(NewNotification.problems(USER, null, "ORDER_CONFIRMED", " Your order is confirmed. ")).isEmpty();
    NewNotification n = NewNotification.of(USER, USER, "ORDER_CONFIRMED", " Your order is confirmed. ");
    assertThat(n.userId()).isEqualTo(UUID.fromString(USER));
    assertThat(n.orderId()).isEqualTo(UUID.fromString(USER));
    assertThat(n.text()).isEqualTo("Your order is confirmed.");
    assertThat(NewNotification.problems(USER, null, "k".repeat(64), "t".repeat(1000))).isEmpty();
  }

  @Test
  void everyBadFieldIsNamed() {
    assertThat(NewNotification.problems(null, 42, null, null)).extracting(FieldError::field).containsOnly("userId", "orderId", "kind", "text");
    assertThat(NewNotification.problems("nope", "1-1-1-1-1", "", "")).extracting(FieldError::field).containsOnly("userId", "orderId", "kind", "text");
    assertThat(NewNotification.problems(USER, null, "k".repeat(65), "t".repeat(1001))).extracting(FieldError::field).containsOnly("kind", "text");
    assertThat(NewNotification.problems(USER, null, "ORDER CONFIRMED", "   ")).extracting(FieldError::field).containsOnly("kind", "text");
    assertThat(NewNotification.problems(USER, null, "X", "a\0b")).containsExactly(new FieldError("text", "must not contain NUL characters"));
    assertThat(NewNotification.problems(42, null, "X", 7)).extracting(FieldError::field).containsOnly("userId", "text");
  }

  @Test
  void onlyCanonicalUuidsAreIds() {
    assertThat(Ids.uuid(USER)).contains(UUID.fromString(USER));
    assertThat(Ids.uuid(USER.toUpperCase())).contains(UUID.fromString(USER));
    assertThat(Ids.uuid("1-1-1-1-1")).isEmpty();
    assertThat(Ids.uuid("0000000000000000000-0-0-0-0000000000")).isEmpty();
    assertThat(Ids.uuid(null)).isEmpty();
    assertThat(Ids.uuid(UUID.fromString(USER))).isEmpty();
  }

  @Test
  void ofRefusesInvalidInput() {
    assertThatThrownBy(() -> NewNotification.of("nope", null, "X", "t")).isInstanceOf(IllegalArgumentException.class);
  }
}
