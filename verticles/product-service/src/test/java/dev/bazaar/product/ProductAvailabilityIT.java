package dev.bazaar.product;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import static dev.bazaar.platform.testing.TestBed.await;
import static dev.bazaar.product.CatalogTestBed.product;
import static dev.bazaar.product.CatalogTestBed.sku;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What product-service asks of inventory-service and answers to other services, over the event bus. */
class ProductAvailabilityIT extends CatalogTestBed.PerClass {
  static final String LOOKUP = "product-service.products.lookup";

  @Test
  void aProductPageShowsLiveStockAndStillComesWhenInventoryIsDown() throws Exception {
    String stocked = bed.created(admin, product(sku("STK"), "Stocked", 500)).getString("id");
    String unstocked = bed.created(admin, product(sku("STK"), "Never stocked", 500)).getString("id");
    bed.setStock(admin, stocked, 7);

    JsonObject page = bed.get("/api/v1/products/" + stocked, null).bodyAsJsonObject();
    assertThat(page.getInteger("available")).isEqualTo(7);
    assertThat(page.containsKey("degraded")).isFalse();
    assertThat(bed.get("/api/v1/products/" + unstocked, null).bodyAsJsonObject().getInteger("available")).isZero();

    bed.undeployInventory();
    try {
      for (int i = 0; i < 10; i++) {
        HttpResponse<Buffer> degraded = bed.get("/api/v1/products/" + stocked, null);
        assertThat(degraded.statusCode()).isEqualTo(200);
        JsonObject body = degraded.bodyAsJsonObject();
        assertThat(body.getString("name")).isEqualTo("Stocked");
        assertThat(body.containsKey("available")).isFalse();
        assertThat(body.getJsonArray("degraded")).containsExactly("inventory");
      }
      // an unknown product is still a plain 404, whatever inventory's state
      assertThat(bed.get("/api/v1/products/" + UUID.randomUUID(), null).statusCode()).isEqualTo(404);
    } finally {
      bed.deployInventory();
    }
    // once the breaker lets calls through again, stock is back
    Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).ignoreExceptions().untilAsserted(() ->
      assertThat(bed.get("/api/v1/products/" + stocked, null).bodyAsJsonObject().getInteger("available")).isEqualTo(7));
  }

  @Test
  void lookupAnswersKnownProductsInTheAgreedShape() throws Exception {
    JsonObject mug = bed.created(admin, product(sku("LK"), "Mug", 1299));
    JsonObject cup = bed.created(admin, product(sku("LK"), "Cup", 899).put("currency", "USD"));
    String unknown = UUID.randomUUID().toString();

    JsonObject reply = lookup(new JsonObject().put("ids", new JsonArray()
      .add(mug.getString("id")).add(unknown).add(cup.getString("id").toUpperCase()).add(mug.getString("id"))));
    JsonArray items = reply.getJsonArray("items");
    assertThat(reply.fieldNames()).containsExactly("items");
    assertThat(items).hasSize(2);
    assertThat(items.stream().map(item -> ((JsonObject) item).getString("id")))
      .containsExactlyInAnyOrder(mug.getString("id"), cup.getString("id"));
    JsonObject cupItem = items.stream().map(item -> (JsonObject) item)
      .filter(item -> item.getString("id").equals(cup.getString("id"))).findFirst().orElseThrow();
    assertThat(cupItem.fieldNames()).containsExactlyInAnyOrder("id", "sku", "name", "priceCents", "currency");
    assertThat(cupItem.getString("sku")).isEqualTo(cup.getString("sku"));
    assertThat(cupItem.getString("name")).isEqualTo("Cup");
    assertThat(cupItem.getValue("priceCents")).isEqualTo(899);
    assertThat(cupItem.getString("currency")).isEqualTo("USD");

    assertThat(lookup(new JsonObject().put("ids", new JsonArray().add(unknown))).getJsonArray("items")).isEmpty();
    assertThat(lookup(new JsonObject().put("ids", new JsonArray(Collections.nCopies(100, unknown)))).getJsonArray("items")).isEmpty();
  }

  @Test
  void malformedLookupsAreRefusedWith400() {
    String id = UUID.randomUUID().toString();
    List<Object> bad = List.of(
      new JsonObject(),
      new JsonObject().put("ids", new JsonArray()),
      new JsonObject().put("ids", id),
      new JsonObject().put("ids", new JsonArray().add(id).add("not-a-uuid")),
      new JsonObject().put("ids", new JsonArray().add(42)),
      new JsonObject().put("ids", new JsonArray(Collections.nCopies(101, id))),
      "not json",
      new JsonArray().add(id));
    for (Object body : bad) {
      assertThatThrownBy(() -> lookupRaw(body)).as("%s", body)
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOfSatisfying(ReplyException.class, reply -> {
          assertThat(reply.failureType()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
          assertThat(reply.failureCode()).isEqualTo(400);
        });
    }
  }

  private static JsonObject lookup(JsonObject request) throws Exception {
    return lookupRaw(request).body();
  }

  private static Message<JsonObject> lookupRaw(Object request) throws Exception {
    return await(bed.vertx.eventBus().<JsonObject>request(LOOKUP, request));
  }
}
