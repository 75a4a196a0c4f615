package dev.bazaar.product;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static dev.bazaar.product.CatalogTestBed.assertProblem;
import static dev.bazaar.product.CatalogTestBed.product;
import static dev.bazaar.product.CatalogTestBed.sku;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The catalog over its real HTTP API: writes by admins, public reads and search, every refusal a problem. */
class ProductServiceIT extends CatalogTestBed.PerClass {
  @Test
  void anAdminCreatesAndReplacesAProductThatAnyoneCanRead() throws Exception {
    String sku = sku("MUG");
    HttpResponse<Buffer> created = bed.post("/api/v1/products", admin, new JsonObject().put("sku", sku).put("name", "  Mug ")
      .put("description", "Holds tea.").put("priceCents", 1299).put("currency", "EUR"));
    assertThat(created.statusCode()).isEqualTo(201);
    JsonObject product = created.bodyAsJsonObject();
    String id = product.getString("id");
    assertThat(created.getHeader("Location")).isEqualTo("/api/v1/products/" + id);
    assertThat(product.fieldNames()).containsExactlyInAnyOrder("id", "sku", "name", "description", "priceCents", "currency",
      "createdAt", "updatedAt");
    assertThat(product.getString("name")).isEqualTo("Mug");
    assertThat(product.getInteger("priceCents")).isEqualTo(1299);

    HttpResponse<Buffer> read = bed.get("/api/v1/products/" + id, null);
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.getHeader("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    assertThat(read.bodyAsJsonObject().getString("sku")).isEqualTo(sku);
    assertThat(bed.get("/api/v1/products/" + id.toUpperCase(), customer).bodyAsJsonObject().getString("id")).isEqualTo(id);

    HttpResponse<Buffer> replaced = bed.put("/api/v1/products/" + id, admin, new JsonObject().put("sku", sku + "-v2")
      .put("name", "Big mug").put("priceCents", 0).put("currency", "GBP"));
    assertThat(replaced.statusCode()).as(replaced.bodyAsString()).isEqualTo(200);
    JsonObject after = replaced.bodyAsJsonObject();
    assertThat(after.getString("sku")).isEqualTo(sku + "-v2");
    assertThat(after.getString("description")).as("full replacement: absent means empty").isEmpty();
    assertThat(after.getInteger("priceCents")).isZero();
    assertThat(after.getString("currency")).isEqualTo("GBP");
    assertThat(after.getString("createdAt")).isEqualTo(product.getString("createdAt"));
    assertThat(Instant.parse(after.getString("updatedAt"))).isAfter(Instant.parse(product.getString("updatedAt")));
    assertThat(bed.get("/api/v1/products/" + id, null).bodyAsJsonObject().getString("name")).isEqualTo("Big mug");
    assertThat(bed.count("SELECT count(*) FROM products WHERE sku = ?", sku)).isZero();
  }

  @Test
  void writesNeedAnAdminToken() throws Exception {
    long before = bed.products();
    String id = bed.created(admin, product(sku("AUTH"), "Guarded", 100)).getString("id");
    JsonObject body = product(sku("AUTH"), "Intruder", 1);
    assertProblem(bed.post("/api/v1/products", null, body), 401);
    assertProblem(bed.post("/api/v1/products", "not-a-jwt", body), 401);
    assertProblem(bed.post("/api/v1/products", customer, body), 403);
    assertProblem(bed.put("/api/v1/products/" + id, null, body), 401);
    assertProblem(bed.put("/api/v1/products/" + id, customer, body), 403);
    assertProblem(bed.post("/api/v1/products", customer, new JsonObject()), 403);
    assertThat(bed.products()).isEqualTo(before + 1);
    assertThat(bed.get("/api/v1/products/" + id, null).bodyAsJsonObject().getString("name")).isEqualTo("Guarded");
  }

  @Test
  void invalidProductsAreProblemsAndStoreNothing() throws Exception {
    long before = bed.products();
    String sku = sku("BAD");
    List<JsonObject> invalid = List.of(
      product(sku, "Negative", -1),
      product(sku, "Huge", 100_000_001),
      product(sku, "Fraction", 1).put("priceCents", 12.5),
      product(sku, "Float", 1).put("priceCents", 12.0),
      product(sku, "Text price", 1).put("priceCents", "1299"),
      product(sku, "Giant", 1).put("priceCents", new BigInteger("123456789012345678901234567890")),
      product(sku, "Lower", 1).put("currency", "eur"),
      product(sku, "Unaccepted", 1).put("currency", "JPY"),
      product(sku, "Long code", 1).put("currency", "EURO"),
      product(sku, "n".repeat(201), 1),
      product(sku, " ", 1),
      product(sku, "Description", 1).put("description", "d".repeat(2001)),
      product(sku, "Wrong type", 1).put("description", 42),
      product(sku + "/x", "Slash", 1),
      product("s".repeat(65), "Long sku", 1),
      product(sku, "Array name", 1).put("name", new JsonArray().add("x")));
    for (JsonObject body : invalid) {
      HttpResponse<Buffer> response = bed.post("/api/v1/products", admin, body);
      assertProblem(response, 400);
      assertThat(response.bodyAsJsonObject().getJsonArray("errors")).as(body.encode()).hasSize(1);
    }
    HttpResponse<Buffer> empty = bed.post("/api/v1/products", admin, new JsonObject());
    assertProblem(empty, 400);
    assertThat(empty.bodyAsJsonObject().getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("field")))
      .containsExactly("sku", "name", "priceCents", "currency");
    assertProblem(bed.sendRaw(HttpMethod.POST, "/api/v1/products", admin, "application/json", Buffer.buffer("{\"sku\":")), 400);
    assertProblem(bed.sendRaw(HttpMethod.POST, "/api/v1/products", admin, "application/json", Buffer.buffer("[1,2]")), 400);
    assertProblem(bed.sendRaw(HttpMethod.POST, "/api/v1/products", admin, "application/json", Buffer.buffer("")), 400);
    assertProblem(bed.sendRaw(HttpMethod.POST, "/api/v1/products", admin, "text/plain", Buffer.buffer(product(sku, "x", 1).encode())), 415);
    assertProblem(bed.sendRaw(HttpMethod.POST, "/api/v1/products", admin, "application/json", Buffer.buffer(new byte[2 * 1024 * 1024])), 413);
    assertThat(bed.products()).isEqualTo(before);
  }

  @Test
  void skusAreUnique() throws Exception {
    String taken = sku("DUP");
    bed.created(admin, product(taken, "First", 100));
    HttpResponse<Buffer> again = bed.post("/api/v1/products", admin, product(taken, "Second", 200));
    assertProblem(again, 409);
    assertThat(again.bodyAsJsonObject().getString("type")).endsWith("/sku-taken");
    assertThat(bed.count("SELECT count(*) FROM products WHERE sku = ?", taken)).isEqualTo(1);

    JsonObject other = bed.created(admin, product(sku("DUP"), "Other", 300));
    assertProblem(bed.put("/api/v1/products/" + other.getString("id"), admin, product(taken, "Other", 300)), 409);
    assertThat(bed.get("/api/v1/products/" + other.getString("id"), null).bodyAsJsonObject().getString("sku"))
      .isEqualTo(other.getString("sku"));
    // keeping one's own SKU is no conflict
    assertThat(bed.put("/api/v1/products/" + other.getString("id"), admin, product(other.getString("sku"), "Renamed", 300))
      .statusCode()).isEqualTo(200);
  }

  @Test
  void unknownAndMalformedIdsAreNotFound() throws Exception {
    long before = bed.products();
    for (String id : List.of(UUID.randomUUID().toString(), "not-a-uuid", "1-1-1-1-1")) {
      assertProblem(bed.get("/api/v1/products/" + id, null), 404);
      assertProblem(bed.put("/api/v1/products/" + id, admin, product(sku("GHOST"), "Ghost", 1)), 404);
    }
    // an encoded control character is refused at the edge, before any route (docs/SECURITY.md)
    assertProblem(bed.get("/api/v1/products/%00", null), 400);
    assertProblem(bed.put("/api/v1/products/%00", admin, product(sku("GHOST"), "Ghost", 1)), 400);
    String id = bed.created(admin, product(sku("KEEP"), "Kept", 100)).getString("id");
    assertProblem(bed.put("/api/v1/products/" + id, admin, product(sku("KEEP"), "Kept", -5)), 400);
    assertThat(bed.get("/api/v1/products/" + id, null).bodyAsJsonObject().getInteger("priceCents")).isEqualTo(100);
    assertThat(bed.products()).isEqualTo(before + 1);
  }

  @Test
  void searchFindsLiteralTextInNameOrDescriptionPageByPage() throws Exception {
    String marker = "zq" + UUID.randomUUID().toString().substring(0, 6);
    // names that sort the same under any collation
    bed.created(admin, product(sku("S"), "Echo 100x cotton " + marker, 100));
    bed.created(admin, product(sku("S"), "Bravo " + marker.toUpperCase(), 100));
    bed.created(admin, product(sku("S"), "Charlie", 100).put("description", "Tastes of " + marker));
    bed.created(admin, product(sku("S"), "Delta 100% cotton " + marker, 100));
    bed.created(admin, product(sku("S"), "Alpha " + marker, 100));
    bed.created(admin, product(sku("S"), "Foxtrot", 100).put("description", "nothing to see"));

    JsonObject all = bed.get("/api/v1/products?q=" + marker, null).bodyAsJsonObject();
    assertThat(all.fieldNames()).containsExactlyInAnyOrder("items", "page", "size", "total");
    assertThat(all.getLong("total")).isEqualTo(5);
    assertThat(names(all)).containsExactly("Alpha " + marker, "Bravo " + marker.toUpperCase(), "Charlie",
      "Delta 100% cotton " + marker, "Echo 100x cotton " + marker);

    JsonObject second = bed.get("/api/v1/products?q=" + marker + "&page=1&size=2", null).bodyAsJsonObject();
    assertThat(second.getInteger("page")).isEqualTo(1);
    assertThat(second.getInteger("size")).isEqualTo(2);
    assertThat(second.getLong("total")).isEqualTo(5);
    assertThat(names(second)).containsExactly("Charlie", "Delta 100% cotton " + marker);
    JsonObject beyond = bed.get("/api/v1/products?q=" + marker + "&page=9&size=2", null).bodyAsJsonObject();
    assertThat(names(beyond)).isEmpty();
    assertThat(beyond.getLong("total")).isEqualTo(5);

    // wildcards in the term are literal text
    assertThat(names(bed.get("/api/v1/products?q=0%25%20cotton%20" + marker, null).bodyAsJsonObject()))
      .containsExactly("Delta 100% cotton " + marker);
    assertThat(names(bed.get("/api/v1/products?q=0_%20cotton%20" + marker, null).bodyAsJsonObject())).isEmpty();
    assertThat(bed.get("/api/v1/products", null).bodyAsJsonObject().getInteger("size")).isEqualTo(20);
  }

  @Test
  void badSearchesAreProblems() throws Exception {
    for (String query : List.of("page=-1", "page=x", "size=0", "size=101", "size=1.5", "page=100001", "q=" + "q".repeat(101),
      "q=a%00b")) {
      assertProblem(bed.get("/api/v1/products?" + query, null), 400);
    }
    assertThat(bed.get("/api/v1/products?q=" + "q".repeat(100) + "&size=100", null).statusCode()).isEqualTo(200);
  }

  @Test
  void theServiceRoleCannotConnectToAnotherServicesDatabase() {
    String url = "jdbc:postgresql://127.0.0.1:" + bed.inventoryDb.port() + "/" + bed.inventoryDb.database();
    assertThatThrownBy(() -> DriverManager.getConnection(url, bed.db.user(), bed.db.password()).close())
      .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
  }

  @Test
  void operationsEndpointsAnswer() throws Exception {
    assertThat(bed.get("/health/ready", null).statusCode()).isEqualTo(200);
    assertThat(bed.get("/metrics", null).bodyAsString()).contains("vertx_http_server_requests_total");
    assertProblem(bed.sendRaw(HttpMethod.DELETE, "/api/v1/products", admin, null, Buffer.buffer()), 405);
  }

  private static List<String> names(JsonObject page) {
    return page.getJsonArray("items").stream().map(item -> ((JsonObject) item).getString("name")).toList();
  }
}
