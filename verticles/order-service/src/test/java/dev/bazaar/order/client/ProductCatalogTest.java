package dev.bazaar.order.client;

import dev.bazaar.order.domain.ProductPrice;
import dev.bazaar.platform.http.ApiException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProductCatalogTest {
  static final UUID A = UUID.randomUUID();
  static final UUID B = UUID.randomUUID();

  @Test
  void readsTheReplyOfTheContractAndKeepsOnlyWhatWasAsked() {
    JsonObject reply = new JsonObject().put("items", new JsonArray()
      .add(item(A, 1999, "EUR"))
      .add(item(UUID.randomUUID(), 5, "EUR")));
    Map<UUID, ProductPrice> prices = ProductCatalog.parse(reply, Set.of(A, B));
    assertThat(prices).containsExactly(Map.entry(A, new ProductPrice(A, 1999, "EUR")));
  }

  @Test
  void aReplyOutOfContractIsABadGatewayNotAPrice() {
    for (JsonObject reply : new JsonObject[] {
      new JsonObject(),
      new JsonObject().put("items", "x"),
      new JsonObject().put("items", new JsonArray().add(item(A, 19.99, "EUR"))),
      new JsonObject().put("items", new JsonArray().add(item(A, -1, "EUR"))),
      new JsonObject().put("items", new JsonArray().add(item(A, 100, "euro"))),
      new JsonObject().put("items", new JsonArray().add(new JsonObject().put("id", "nope").put("priceCents", 1).put("currency", "EUR"))),
    }) {
      assertThatThrownBy(() -> ProductCatalog.parse(reply, Set.of(A)))
        .as(reply.encode()).isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(502));
    }
  }

  private static JsonObject item(UUID id, Object priceCents, String currency) {
    return new JsonObject().put("id", id.toString()).put("sku", "SKU").put("name", "Thing").put("priceCents", priceCents).put("currency", currency);
  }
}
