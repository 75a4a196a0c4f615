package dev.bazaar.order;

import dev.bazaar.order.OrderTestBed.User;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.bazaar.order.OrderTestBed.CABLE;
import static dev.bazaar.order.OrderTestBed.KEYBOARD;
import static dev.bazaar.order.OrderTestBed.LAMP_USD;
import static dev.bazaar.order.OrderTestBed.MOUSE;
import static dev.bazaar.order.OrderTestBed.UNKNOWN;
import static dev.bazaar.order.OrderTestBed.assertProblem;
import static dev.bazaar.platform.testing.TestBed.await;
import static dev.bazaar.platform.testing.TestBed.until;
import static dev.bazaar.order.OrderTestBed.order;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /api/v1/orders}: validation, pricing from the catalog, idempotency, product-service down. */
class PlaceOrderIT extends OrderTestBed.PerClass {
  @Test
  void storesAPendingOrderPricedFromTheCatalog() throws Exception {
    User ann = bed.newUser("ann");
    HttpResponse<Buffer> response = bed.place(ann.token(), order("tok_ok", KEYBOARD, 2, CABLE, 3), null);

    assertThat(response.statusCode()).isEqualTo(202);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.fieldNames()).containsExactlyInAnyOrder("id", "status");
    assertThat(body.getString("status")).isEqualTo("PENDING");
    String id = body.getString("id");
    assertThat(response.getHeader("Location")).isEqualTo("/api/v1/orders/" + id);
    assertThat(response.getHeader("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");

    UUID orderId = UUID.fromString(id);
    assertThat(bed.count("SELECT count(*) FROM orders WHERE id = ? AND user_id = ? AND status = 'PENDING' AND total_cents = ? "
      + "AND currency = 'EUR' AND idempotency_key IS NULL AND reason IS NULL",
      orderId, UUID.fromString(ann.id()), 2 * 4999L + 3 * 500L)).isEqualTo(1);
    assertThat(bed.count("SELECT count(*) FROM order_lines WHERE order_id = ? AND product_id = ? AND quantity = 2 AND unit_price_cents = 4999 AND line_no = 0",
      orderId, KEYBOARD)).isEqualTo(1);
    assertThat(bed.count("SELECT count(*) FROM order_lines WHERE order_id = ? AND product_id = ? AND quantity = 3 AND unit_price_cents = 500 AND line_no = 1",
      orderId, CABLE)).isEqualTo(1);
    assertThat(bed.linesOf(ann)).isEqualTo(2);

    JsonObject stored = bed.get("/api/v1/orders/" + id, ann.token()).bodyAsJsonObject();
    assertThat(stored.getLong("totalCents")).isEqualTo(2 * 4999L + 3 * 500L);
    assertThat(stored.getJsonArray("items")).containsExactly(
      new JsonObject().put("productId", KEYBOARD.toString()).put("quantity", 2).put("unitPriceCents", 4999L),
      new JsonObject().put("productId", CABLE.toString()).put("quantity", 3).put("unitPriceCents", 500L));
  }

  @Test
  void invalidRequestsAreProblemsAndStoreNothing() throws Exception {
    User bob = bed.newUser("bob");
    String k = KEYBOARD.toString();
    List<String> bodies = new ArrayList<>(List.of(
      "{\"items\":",
      "[]",
      "\"just a string\"",
      "{}",
      "{\"items\":{},\"payment\":{\"token\":\"tok_ok\"}}",
      "{\"items\":[],\"payment\":{\"token\":\"tok_ok\"}}",
      "{\"items\":[\"" + k + "\"],\"payment\":{\"token\":\"tok_ok\"}}",
      "{\"items\":[{\"productId\":42,\"quantity\":1}],\"payment\":{\"token\":\"tok_ok\"}}",
      "{\"items\":[{\"productId\":\"not-a-uuid\",\"quantity\":1}],\"payment\":{\"token\":\"tok_ok\"}}",
      "{\"items\":[{\"productId\":\"" + k + "\",\"quantity\":\"1\"}],\"payment\":{\"token\":\"tok_ok\"}}",
      "{\"items\":[{\"productId\":\"" + k + "\",\"quantity\":1.5}],\"payment\":{\"token\":\"tok_ok\"}}",
      "{\"items\":[{\"productId\":\"" + k + "\",\"quantity\":0}],\"payment\":{\"token\":\"tok_ok\"}}",
      "{\"items\":[{\"productId\":\"" + k + "\",\"quantity\":-1}],\"payment\":{\"token\":\"tok_ok\"}}",
      "{\"items\":[{\"productId\":\"" + k + "\",\"quantity\":1001}],\"payment\":{\"token\":\"tok_ok\"}}",
      "{\"items\":[{\"productId\":\"" + k + "\",\"quantity\":4294967297}],\"payment\":{\"token\":\"tok_ok\"}}",
      "{\"items\":[{\"productId\":\"" + k + "\",\"quantity\":100000000000000000000000}],\"payment\":{\"token\":\"tok_ok\"}}",
      "{\"items\":[{\"productId\":\"" + k + "\",\"quantity\":null}],\"payment\":{\"token\":\"tok_ok\"}}",
      "{\"items\":[{\"productId\":\"" + k + "\",\"quantity\":1},{\"productId\":\"" + k + "\",\"quantity\":2}],\"payment\":{\"token\":\"tok_ok\"}}",
      "{\"items\":[{\"productId\":\"" + k + "\",\"quantity\":1}]}",
      "{\"items\":[{\"productId\":\"" + k + "\",\"quantity\":1}],\"payment\":\"tok_ok\"}",
      "{\"items\":[{\"productId\":\"" + k + "\",\"quantity\":1}],\"payment\":{}}",
      "{\"items\":[{\"productId\":\"" + k + "\",\"quantity\":1}],\"payment\":{\"token\":true}}"));
    for (String token : List.of("tok_bad", "TOK_OK", "tok_ok ", "4111111111111111", "", "tok_" + "x".repeat(5000))) {
      bodies.add(order(token, KEYBOARD, 1).encode());
    }
    bodies.add(order("tok_ok").encode());
    bodies.add(manyLines(51).encode());
    for (String body : bodies) {
      HttpResponse<Buffer> response = bed.postRaw("/api/v1/orders", bob.token(), "application/json", Buffer.buffer(body));
      assertThat(response.statusCode()).as(body.length() > 200 ? body.substring(0, 200) : body).isEqualTo(400);
      assertProblem(response, 400);
    }
    assertProblem(bed.postRaw("/api/v1/orders", bob.token(), "text/plain", Buffer.buffer(order("tok_ok", KEYBOARD, 1).encode())), 415);
    assertProblem(bed.postRaw("/api/v1/orders", bob.token(), "application/json", Buffer.buffer(new byte[2 * 1024 * 1024])), 413);
    assertProblem(bed.postRaw("/api/v1/orders", bob.token(), "application/json", Buffer.buffer()), 400);
    assertThat(bed.ordersOf(bob)).isZero();
    assertThat(bed.linesOf(bob)).isZero();
  }

  @Test
  void fieldErrorsNameEveryProblem() throws Exception {
    User cid = bed.newUser("cid");
    JsonObject body = order("tok_nope", KEYBOARD, 0, "nope", 1, KEYBOARD, 2);
    HttpResponse<Buffer> response = bed.place(cid.token(), body, null);
    assertProblem(response, 400);
    JsonArray errors = response.bodyAsJsonObject().getJsonArray("errors");
    assertThat(errors.stream().map(e -> ((JsonObject) e).getString("field")))
      .containsExactly("items[0].quantity", "items[1].productId", "items[2].productId", "payment.token");
  }

  @Test
  void fiftyLinesAreTheMost() throws Exception {
    User dee = bed.newUser("dee");
    HttpResponse<Buffer> response = bed.place(dee.token(), manyLines(50), null);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(202);
    assertThat(bed.linesOf(dee)).isEqualTo(50);
    assertThat(bed.get(response.getHeader("Location"), dee.token()).bodyAsJsonObject().getJsonArray("items")).hasSize(50);
  }

  @Test
  void unknownProductsAreNamedAndNothingIsStored() throws Exception {
    User eve = bed.newUser("eve");
    UUID other = UUID.randomUUID();
    HttpResponse<Buffer> response = bed.place(eve.token(), order("tok_ok", KEYBOARD, 1, UNKNOWN, 1, other, 2), null);
    assertProblem(response, 400);
    JsonObject problem = response.bodyAsJsonObject();
    assertThat(problem.getString("type")).endsWith("/unknown-product");
    assertThat(problem.getString("detail")).contains(UNKNOWN.toString()).contains(other.toString()).doesNotContain(KEYBOARD.toString());
    assertThat(problem.getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("field")))
      .containsExactly("items[1].productId", "items[2].productId");
    assertThat(bed.ordersOf(eve)).isZero();
  }

  @Test
  void mixedCurrenciesAreRefused() throws Exception {
    User fay = bed.newUser("fay");
    HttpResponse<Buffer> response = bed.place(fay.token(), order("tok_ok", KEYBOARD, 1, LAMP_USD, 1), null);
    assertProblem(response, 400);
    assertThat(response.bodyAsJsonObject().getString("detail")).contains("EUR").contains("USD");
    assertThat(bed.ordersOf(fay)).isZero();
    assertThat(bed.place(fay.token(), order("tok_declined", LAMP_USD, 1), null).statusCode()).isEqualTo(202);
    assertThat(bed.count("SELECT count(*) FROM orders WHERE user_id = ? AND currency = 'USD' AND total_cents = 2500",
      UUID.fromString(fay.id()))).isEqualTo(1);
  }

  @Test
  void theSameKeyAndRequestGiveTheSameOrder() throws Exception {
    User gus = bed.newUser("gus");
    String key = "checkout-" + UUID.randomUUID();
    HttpResponse<Buffer> first = bed.place(gus.token(), order("tok_ok", KEYBOARD, 1, MOUSE, 2), key);
    assertThat(first.statusCode()).isEqualTo(202);
    int lookups = bed.lookups.get();
    // the same request spelled differently: lines reordered, product id in upper case
    JsonObject same = new JsonObject()
      .put("payment", new JsonObject().put("token", "tok_ok"))
      .put("items", new JsonArray()
        .add(new JsonObject().put("quantity", 2).put("productId", MOUSE.toString().toUpperCase()))
        .add(new JsonObject().put("quantity", 1).put("productId", KEYBOARD.toString())));
    HttpResponse<Buffer> second = bed.place(gus.token(), same, key);
    assertThat(second.statusCode()).isEqualTo(202);
    assertThat(second.bodyAsJsonObject()).isEqualTo(first.bodyAsJsonObject());
    assertThat(second.getHeader("Location")).isEqualTo(first.getHeader("Location"));
    assertThat(second.getHeader("Idempotent-Replayed")).isEqualTo("true");
    assertThat(bed.lookups.get()).as("a replay needs no prices").isEqualTo(lookups);
    assertThat(bed.ordersOf(gus)).isEqualTo(1);
    assertThat(bed.linesOf(gus)).isEqualTo(2);

    // a key is the user's own: another user's identical key is another order
    User hal = bed.newUser("hal");
    HttpResponse<Buffer> others = bed.place(hal.token(), order("tok_ok", KEYBOARD, 1, MOUSE, 2), key);
    assertThat(others.statusCode()).isEqualTo(202);
    assertThat(others.bodyAsJsonObject().getString("id")).isNotEqualTo(first.bodyAsJsonObject().getString("id"));
    // without a key, every request is a new order
    bed.placed(gus, order("tok_ok", KEYBOARD, 1, MOUSE, 2));
    assertThat(bed.ordersOf(gus)).isEqualTo(2);
  }

  @Test
  void theSameKeyWithAnotherRequestIs422() throws Exception {
    User ida = bed.newUser("ida");
    String key = UUID.randomUUID().toString();
    assertThat(bed.place(ida.token(), order("tok_ok", KEYBOARD, 1), key).statusCode()).isEqualTo(202);
    assertProblem(bed.place(ida.token(), order("tok_ok", KEYBOARD, 2), key), 422);
    assertProblem(bed.place(ida.token(), order("tok_declined", KEYBOARD, 1), key), 422);
    assertProblem(bed.place(ida.token(), order("tok_ok", KEYBOARD, 1, MOUSE, 1), key), 422);
    assertThat(bed.ordersOf(ida)).isEqualTo(1);
    assertThat(bed.linesOf(ida)).isEqualTo(1);
  }

  @Test
  void tenConcurrentRetriesMakeOneOrder() throws Exception {
    User jan = bed.newUser("jan");
    String key = "burst-" + UUID.randomUUID();
    JsonObject body = order("tok_ok", KEYBOARD, 1, MOUSE, 1, CABLE, 4);
    List<Future<HttpResponse<Buffer>>> burst = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      burst.add(bed.placeAsync(jan.token(), body, key));
    }
    await(Future.all(burst));
    List<String> ids = burst.stream().map(f -> {
      assertThat(f.result().statusCode()).as(f.result().bodyAsString()).isEqualTo(202);
      return f.result().bodyAsJsonObject().getString("id");
    }).distinct().toList();
    assertThat(ids).hasSize(1);
    assertThat(bed.ordersOf(jan)).isEqualTo(1);
    assertThat(bed.linesOf(jan)).isEqualTo(3);
  }

  @Test
  void idempotencyKeysAreBounded() throws Exception {
    User kim = bed.newUser("kim");
    assertProblem(bed.place(kim.token(), order("tok_ok", KEYBOARD, 1), "k".repeat(101)), 400);
    assertProblem(bed.place(kim.token(), order("tok_ok", KEYBOARD, 1), ""), 400);
    assertProblem(bed.place(kim.token(), order("tok_ok", KEYBOARD, 1), "caf\u00e9"), 400);
    assertThat(bed.ordersOf(kim)).isZero();
    assertThat(bed.place(kim.token(), order("tok_ok", KEYBOARD, 1), "k".repeat(100)).statusCode()).isEqualTo(202);
    assertThat(bed.ordersOf(kim)).isEqualTo(1);
  }

  @Test
  void aTokenIsRequired() throws Exception {
    assertProblem(bed.place(null, order("tok_ok", KEYBOARD, 1), null), 401);
    assertProblem(bed.place("not-a-jwt", order("tok_ok", KEYBOARD, 1), null), 401);
  }

  @Test
  void whenProductServiceCannotAnswerItIs503AndNothingIsStored() throws Exception {
    User lea = bed.newUser("lea");
    bed.stopCatalog();
    try {
      HttpResponse<Buffer> down = bed.place(lea.token(), order("tok_ok", KEYBOARD, 1), "while-down");
      assertProblem(down, 503);
      assertThat(down.getHeader("Retry-After")).isNotBlank();
      // again, until the breaker opens: still a clean 503
      assertProblem(bed.place(lea.token(), order("tok_ok", MOUSE, 1), null), 503);
      assertProblem(bed.place(lea.token(), order("tok_ok", CABLE, 1), null), 503);
      assertThat(bed.ordersOf(lea)).isZero();
    } finally {
      bed.startCatalog();
    }
    // back: the first request that gets through is stored once, under the key that failed before
    until("orders are taken again", Duration.ofSeconds(15), () -> {
      try {
        return bed.place(lea.token(), order("tok_ok", KEYBOARD, 1), "while-down").statusCode() == 202;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(bed.ordersOf(lea)).isEqualTo(1);
  }

  private static JsonObject manyLines(int n) {
    JsonArray items = new JsonArray();
    for (int i = 0; i < n; i++) {
      items.add(new JsonObject().put("productId", OrderTestBed.filler(i).toString()).put("quantity", 1));
    }
    return new JsonObject().put("items", items).put("payment", new JsonObject().put("token", "tok_ok"));
  }
}
