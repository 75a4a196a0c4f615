package dev.bazaar.platform.metrics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HttpClientRoutesTest {

  @Test
  void identifiersBecomePlaceholdersAndTheQueryIsDropped() {
    assertThat(HttpClientRoutes.template("/api/v1/orders/3f2b8c1e-6a4d-4f0e-9b7a-2c1d0e9f8a7b?x=1"))
      .isEqualTo("/api/v1/orders/:id");
    assertThat(HttpClientRoutes.template("/api/v1/users/3f2b8c1e-6a4d-4f0e-9b7a-2c1d0e9f8a7b/orders"))
      .isEqualTo("/api/v1/users/:id/orders");
    assertThat(HttpClientRoutes.template("/v1/charges?idempotencyKey=abc")).isEqualTo("/v1/charges");
    assertThat(HttpClientRoutes.template("/api/v1/products/42")).isEqualTo("/api/v1/products/:id");
    assertThat(HttpClientRoutes.template("/.well-known/jwks.json")).isEqualTo("/.well-known/jwks.json");
    assertThat(HttpClientRoutes.template("/health/ready#x")).isEqualTo("/health/ready");
  }

  @Test
  void oddInputStaysBounded() {
    assertThat(HttpClientRoutes.template("")).isEqualTo("/");
    assertThat(HttpClientRoutes.template(null)).isEqualTo("/");
    assertThat(HttpClientRoutes.template("http://10.0.0.1:8080/api/v1/orders/abc%20def")).isEqualTo("/api/v1/orders/:id");
    assertThat(HttpClientRoutes.template("/a/" + "x".repeat(100))).isEqualTo("/a/:id");
    assertThat(HttpClientRoutes.template("/a/b/c/d/e/f/g/h/i/j")).isEqualTo("/a/b/c/d/e/f/g/h/*");
  }
}
