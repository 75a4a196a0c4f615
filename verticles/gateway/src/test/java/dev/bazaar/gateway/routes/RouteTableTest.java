package dev.bazaar.gateway.routes;

import dev.bazaar.platform.config.ConfigException;
import dev.bazaar.platform.config.ConfigReader;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RouteTableTest {
  private static RouteTable table(JsonArray routes) {
    return RouteTable.from(ConfigReader.of(new JsonObject().put("routes", routes), Map.of()).sections("routes"));
  }

  private final RouteTable table = table(new JsonArray()
    .add(new JsonObject().put("prefix", "/api/v1/auth").put("service", "user-service").put("public", true))
    .add(new JsonObject().put("prefix", "/api/v1/users").put("service", "user-service"))
    .add(new JsonObject().put("prefix", "/api/v1/users/admin").put("service", "admin-service").put("timeoutMs", 5000))
    .add(new JsonObject().put("prefix", "/api/v1/products").put("service", "product-service").put("publicMethods", new JsonArray().add("GET")))
    .add(new JsonObject().put("prefix", "/api/v1/notifications").put("address", "notification-service.api")));

  @Test
  void theLongestMatchingPrefixWinsAtSegmentBoundaries() {
    assertThat(table.match("/api/v1/users/me").map(Route::service)).contains("user-service");
    assertThat(table.match("/api/v1/users").map(Route::service)).contains("user-service");
    assertThat(table.match("/api/v1/users/admin/x").map(Route::service)).contains("admin-service");
    assertThat(table.match("/api/v1/usersfoo")).isEmpty();
    assertThat(table.match("/api/v2/users")).isEmpty();
  }

  @Test
  void publicRoutesArePublicForAllOrSomeMethods() {
    assertThat(table.match("/api/v1/auth/login").orElseThrow().isPublic(HttpMethod.POST)).isTrue();
    Route products = table.match("/api/v1/products/42").orElseThrow();
    assertThat(products.isPublic(HttpMethod.GET)).isTrue();
    assertThat(products.isPublic(HttpMethod.POST)).isFalse();
    assertThat(table.match("/api/v1/users/me").orElseThrow().isPublic(HttpMethod.GET)).isFalse();
  }

  @Test
  void aRouteMayGiveItsCallsALongerTimeoutThanTheClientDefault() {
    assertThat(table.match("/api/v1/users/admin/x").orElseThrow().timeoutMs()).isEqualTo(5000);
    assertThat(table.match("/api/v1/users/me").orElseThrow().timeoutMs()).as("0: the client's timeout").isZero();
  }

  @Test
  void eventBusRoutesAndRequiredServices() {
    assertThat(table.match("/api/v1/notifications").orElseThrow().viaEventBus()).isTrue();
    assertThat(table.services()).containsExactly("admin-service", "product-service", "user-service");
  }

  @Test
  void badTablesAreRejectedWithTheReason() {
    assertThatThrownBy(() -> table(new JsonArray())).isInstanceOf(ConfigException.class).hasMessageContaining("at least one");
    assertThatThrownBy(() -> table(new JsonArray().add(new JsonObject().put("prefix", "/a/").put("service", "s"))))
      .hasMessageContaining("must start with /");
    assertThatThrownBy(() -> table(new JsonArray().add(new JsonObject().put("prefix", "/a"))))
      .hasMessageContaining("exactly one of service or address");
    assertThatThrownBy(() -> table(new JsonArray()
      .add(new JsonObject().put("prefix", "/a").put("service", "s"))
      .add(new JsonObject().put("prefix", "/a").put("service", "t"))))
      .hasMessageContaining("appears twice");
  }
}
