package dev.bazaar.platform.eventbus;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PathPatternTest {

  @Test
  void literalPathsMatchExactlyAndIgnoreOneTrailingSlash() {
    PathPattern list = PathPattern.parse("/api/v1/notifications");
    assertThat(list.match("/api/v1/notifications")).contains(Map.of());
    assertThat(list.match("/api/v1/notifications/")).contains(Map.of());
    assertThat(list.match("/api/v1/notification")).isEmpty();
    assertThat(list.match("/api/v1/notifications/x")).isEmpty();
    assertThat(list.match("/api/v1")).isEmpty();
    assertThat(list.match("/API/v1/notifications")).isEmpty();
    assertThat(list.match("api/v1/notifications")).isEmpty();
    assertThat(list.match(null)).isEmpty();
  }

  @Test
  void parametersCaptureOneNonEmptyDecodedSegment() {
    PathPattern read = PathPattern.parse("/api/v1/notifications/:id/read");
    assertThat(read.match("/api/v1/notifications/abc-1/read")).contains(Map.of("id", "abc-1"));
    assertThat(read.match("/api/v1/notifications/a%20b+c/read")).contains(Map.of("id", "a b+c"));
    assertThat(read.match("/api/v1/notifications//read")).isEmpty();
    assertThat(read.match("/api/v1/notifications/a/b/read")).isEmpty();
    assertThat(read.match("/api/v1/notifications/a/unread")).isEmpty();
    assertThat(read.match("/api/v1/notifications/%zz/read")).isEmpty();
  }

  @Test
  void severalParametersKeepTheirNames() {
    PathPattern pattern = PathPattern.parse("/users/:userId/orders/:orderId");
    assertThat(pattern.match("/users/u1/orders/o2")).contains(Map.of("userId", "u1", "orderId", "o2"));
  }

  @Test
  void theRootIsAPath() {
    assertThat(PathPattern.parse("/").match("/")).contains(Map.of());
    assertThat(PathPattern.parse("/").match("/x")).isEmpty();
  }

  @Test
  void malformedPatternsAreRejectedAtRegistration() {
    assertThatThrownBy(() -> PathPattern.parse("api/v1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PathPattern.parse("/a//b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PathPattern.parse("/a/:")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PathPattern.parse("/a/:id/:id")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PathPattern.parse("/a/*")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PathPattern.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
