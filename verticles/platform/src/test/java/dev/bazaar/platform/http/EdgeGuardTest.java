package dev.bazaar.platform.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EdgeGuardTest {

  @Test
  void ordinaryPathsPass() {
    assertThat(EdgeGuard.ambiguity("/api/v1/orders/0b8f9f2e-6f7e-4c1a-9a55-1d2a3b4c5d6e")).isNull();
    assertThat(EdgeGuard.ambiguity("/api/v1/products")).isNull();
    // resolved by normalization, not rejected: routing sees the normalized path
    assertThat(EdgeGuard.ambiguity("/api/v1/auth/../users/me")).isNull();
    assertThat(EdgeGuard.ambiguity("/api/v1/auth/%2e%2e/users/me")).isNull();
    assertThat(EdgeGuard.ambiguity("/api/v1/products/caf%C3%A9")).isNull();
  }

  @Test
  void pathsThatParsersReadDifferentlyAreRejected() {
    assertThat(EdgeGuard.ambiguity("/api/v1/auth;jsessionid=1/../users/me")).contains(";");
    assertThat(EdgeGuard.ambiguity("/api/v1/auth/..%2fusers/me")).contains("encoded slashes");
    assertThat(EdgeGuard.ambiguity("/api/v1/auth/..%2Fusers/me")).contains("encoded slashes");
    assertThat(EdgeGuard.ambiguity("/api/v1/auth/..%5cusers/me")).contains("encoded slashes");
    assertThat(EdgeGuard.ambiguity("/api/v1/auth\\..\\users")).contains("backslashes");
    assertThat(EdgeGuard.ambiguity("/api/v1/users%00/me")).contains("control");
    assertThat(EdgeGuard.ambiguity("/api/v1/users%3b/me")).contains(";");
    assertThat(EdgeGuard.ambiguity("/api/v1/auth/%252e%252e/users")).contains("twice");
    assertThat(EdgeGuard.ambiguity("api/v1/users")).contains("start with /");
  }
}
