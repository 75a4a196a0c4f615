package dev.bazaar.order.api;

import dev.bazaar.order.OrderServiceConfig;
import dev.bazaar.order.domain.OrderRequest;
import dev.bazaar.order.domain.RequestedLine;
import dev.bazaar.platform.http.ApiException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class OrderRequestJsonTest {
  static final Pattern TOKENS = Pattern.compile(OrderServiceConfig.DEFAULT_TOKEN_PATTERN);
  static final String A = "6f1c2a34-8b1e-4d5f-9a0b-1c2d3e4f5a6b";
  static final String B = "7a2d3b45-9c2f-4e60-8b1c-2d3e4f5a6b7c";

  @Test
  void readsAValidRequest() {
    OrderRequest request = OrderRequestJson.parse(body(new JsonArray().add(line(A.toUpperCase(), 2)).add(line(B, 1000)), "tok_declined"), TOKENS);
    assertThat(request.lines()).containsExactly(new RequestedLine(UUID.fromString(A), 2), new RequestedLine(UUID.fromString(B), 1000));
    assertThat(request.paymentToken()).isEqualTo("tok_declined");
  }

  @Test
  void listsEveryInvalidFieldAtOnce() {
    JsonArray items = new JsonArray()
      .add(line("not-a-uuid", 1))
      .add(line("1-1-1-1-1", 1))
      .add(line(fresh(), 0))
      .add(line(fresh(), -3))
      .add(new JsonObject().put("productId", 42).put("quantity", "2"))
      .add("a string")
      .add(line(fresh(), 1.5))
      .add(line(fresh(), 1001))
      .add(line(fresh(), 10_000_000_000L))
      .add(line(fresh(), new java.math.BigInteger("100000000000000000000")))
      .add(new JsonObject());
    ApiException problem = rejected(body(items, "tok_ok"));
    assertThat(fields(problem)).containsExactly(
      "items[0].productId", "items[1].productId", "items[2].quantity", "items[3].quantity",
      "items[4].productId", "items[4].quantity", "items[5]", "items[6].quantity", "items[7].quantity",
      "items[8].quantity", "items[9].quantity", "items[10].productId", "items[10].quantity");
  }

  @Test
  void duplicateProductsNameTheFirstLine() {
    ApiException problem = rejected(body(new JsonArray().add(line(A, 1)).add(line(B, 1)).add(line(A.toUpperCase(), 2)), "tok_ok"));
    assertThat(fields(problem)).containsExactly("items[2].productId");
    assertThat(problem.errors().getJsonObject(0).getString("message")).contains("items[0]");
  }

  @Test
  void lineCountIsBounded() {
    assertThat(fields(rejected(body(new JsonArray(), "tok_ok")))).containsExactly("items");
    JsonArray many = new JsonArray();
    for (int i = 0; i < 51; i++) {
      many.add(line(UUID.randomUUID().toString(), 1));
    }
    assertThat(fields(rejected(body(many, "tok_ok")))).containsExactly("items");
    many.remove(50);
    assertThat(OrderRequestJson.parse(body(many, "tok_ok"), TOKENS).lines()).hasSize(50);
    assertThat(fields(rejected(new JsonObject().put("items", "x").put("payment", new JsonObject().put("token", "tok_ok"))))).containsExactly("items");
    assertThat(fields(rejected(new JsonObject()))).containsExactly("items", "payment");
  }

  @Test
  void paymentTokensMustMatchTheConfiguredPattern() {
    JsonArray items = new JsonArray().add(line(A, 1));
    for (String token : List.of("tok_bad", "TOK_OK", "tok_ok ", " tok_ok", "tok_okk", "", "tok_ok\n", "x".repeat(500))) {
      assertThat(fields(rejected(body(items, token)))).as(token).containsExactly("payment.token");
    }
    assertThat(fields(rejected(new JsonObject().put("items", items).put("payment", new JsonObject().put("token", 7))))).containsExactly("payment.token");
    assertThat(fields(rejected(new JsonObject().put("items", items).put("payment", "tok_ok")))).containsExactly("payment");
    assertThat(fields(rejected(new JsonObject().put("items", items).put("payment", new JsonObject())))).containsExactly("payment.token");
    assertThat(OrderRequestJson.parse(body(items, "tok_anything"), Pattern.compile("^tok_\\w+$")).paymentToken()).isEqualTo("tok_anything");
  }

  private static ApiException rejected(JsonObject body) {
    ApiException problem = catchThrowableOfType(ApiException.class, () -> OrderRequestJson.parse(body, TOKENS));
    assertThat(problem).isNotNull();
    assertThat(problem.status()).isEqualTo(400);
    return problem;
  }

  private static List<String> fields(ApiException problem) {
    return problem.errors().stream().map(e -> ((JsonObject) e).getString("field")).toList();
  }

  private static JsonObject body(JsonArray items, String token) {
    return new JsonObject().put("items", items).put("payment", new JsonObject().put("token", token));
  }

  private static String fresh() {
    return UUID.randomUUID().toString();
  }

  private static JsonObject line(Object productId, Object quantity) {
    return new JsonObject().put("productId", productId).put("quantity", quantity);
  }
}
