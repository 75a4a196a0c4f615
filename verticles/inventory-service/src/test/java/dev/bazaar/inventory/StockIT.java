package dev.bazaar.inventory;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import static dev.bazaar.inventory.InventoryTestBed.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Stock levels: set and read by admins over HTTP, asked for by anyone over the event bus. */
class StockIT extends InventoryTestBed.PerClass {
  static final String AVAILABILITY = "inventory-service.stock.availability";

  @Test
  void anAdminSetsAndReadsStock() throws Exception {
    String productId = UUID.randomUUID().toString();
    assertProblem(bed.getStock(productId, admin), 404);

    HttpResponse<Buffer> set = bed.putStock(productId, admin, new JsonObject().put("available", 12));
    assertThat(set.statusCode()).as(set.bodyAsString()).isEqualTo(200);
    assertThat(set.bodyAsJsonObject()).isEqualTo(new JsonObject().put("productId", productId).put("available", 12));
    assertThat(bed.putStock(productId.toUpperCase(), admin, new JsonObject().put("available", 0)).bodyAsJsonObject()
      .getInteger("available")).isZero();
    assertThat(bed.putStock(productId, admin, new JsonObject().put("available", 1_000_000_000)).statusCode()).isEqualTo(200);

    HttpResponse<Buffer> read = bed.getStock(productId, admin);
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.bodyAsJsonObject()).isEqualTo(new JsonObject().put("productId", productId).put("available", 1_000_000_000));
    assertThat(bed.count("SELECT count(*) FROM stock WHERE product_id = ?", UUID.fromString(productId))).isEqualTo(1);
  }

  @Test
  void stockIsForAdminsOnly() throws Exception {
    String productId = UUID.randomUUID().toString();
    JsonObject body = new JsonObject().put("available", 5);
    assertProblem(bed.putStock(productId, null, body), 401);
    assertProblem(bed.putStock(productId, "garbage", body), 401);
    assertProblem(bed.putStock(productId, customer, body), 403);
    assertProblem(bed.getStock(productId, null), 401);
    assertProblem(bed.getStock(productId, customer), 403);
    assertThat(bed.count("SELECT count(*) FROM stock WHERE product_id = ?", UUID.fromString(productId))).isZero();
  }

  @Test
  void invalidStockIsAProblemAndStoresNothing() throws Exception {
    UUID productId = UUID.randomUUID();
    for (Object available : List.of(-1, 1_000_000_001, 2.5, 3.0, "7", true, new JsonArray(), new BigInteger("99999999999999999999999"))) {
      HttpResponse<Buffer> response = bed.putStock(productId.toString(), admin, new JsonObject().put("available", available));
      assertProblem(response, 400);
      assertThat(response.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("available");
    }
    assertProblem(bed.putStock(productId.toString(), admin, new JsonObject()), 400);
    String path = "/api/v1/inventory/" + productId;
    assertProblem(bed.send(HttpMethod.PUT, path, admin, "application/json", Buffer.buffer("{\"available\":")), 400);
    assertProblem(bed.send(HttpMethod.PUT, path, admin, "application/json", Buffer.buffer("[5]")), 400);
    assertProblem(bed.send(HttpMethod.PUT, path, admin, "application/json", Buffer.buffer("")), 400);
    assertProblem(bed.send(HttpMethod.PUT, path, admin, "text/plain", Buffer.buffer("{\"available\":5}")), 415);
    assertThat(bed.count("SELECT count(*) FROM stock WHERE product_id = ?", productId)).isZero();

    long before = bed.count("SELECT count(*) FROM stock");
    for (String id : List.of("not-a-uuid", "1-1-1-1-1")) {
      assertProblem(bed.putStock(id, admin, new JsonObject().put("available", 5)), 404);
      assertProblem(bed.getStock(id, admin), 404);
    }
    assertThat(bed.count("SELECT count(*) FROM stock")).isEqualTo(before);
  }

  @Test
  void availabilityAnswersProductsWithStock() throws Exception {
    UUID a = bed.stocked(3);
    UUID b = bed.stocked(0);
    UUID unknown = UUID.randomUUID();
    JsonObject reply = bed.request(AVAILABILITY, new JsonObject().put("productIds", new JsonArray()
      .add(a.toString()).add(unknown.toString()).add(b.toString().toUpperCase())));
    assertThat(reply.fieldNames()).containsExactly("items");
    assertThat(reply.getJsonArray("items")).containsExactlyInAnyOrder(
      new JsonObject().put("productId", a.toString()).put("available", 3),
      new JsonObject().put("productId", b.toString()).put("available", 0));
    assertThat(bed.request(AVAILABILITY, new JsonObject().put("productIds", new JsonArray(Collections.nCopies(100, unknown.toString()))))
      .getJsonArray("items")).isEmpty();
  }

  @Test
  void malformedAvailabilityRequestsAreRefused() {
    String id = UUID.randomUUID().toString();
    for (Object body : List.of(new JsonObject(), new JsonObject().put("productIds", new JsonArray()),
      new JsonObject().put("productIds", id), new JsonObject().put("productIds", new JsonArray().add("x")),
      new JsonObject().put("productIds", new JsonArray(Collections.nCopies(101, id))), "text", new JsonArray().add(id))) {
      bed.assertRefused(AVAILABILITY, body, 400);
    }
  }

  @Test
  void theServiceRoleCannotConnectToAnotherServicesDatabase() {
    var other = dev.bazaar.platform.testing.TestPostgres.database("product_service");
    String url = "jdbc:postgresql://127.0.0.1:" + other.port() + "/" + other.database();
    assertThatThrownBy(() -> DriverManager.getConnection(url, bed.db.user(), bed.db.password()).close())
      .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
  }

  @Test
  void operationsEndpointsAnswer() throws Exception {
    assertThat(bed.send(HttpMethod.GET, "/health/ready", null, null, null).statusCode()).isEqualTo(200);
    assertThat(bed.send(HttpMethod.GET, "/metrics", null, null, null).bodyAsString()).contains("vertx_http_server_requests_total");
  }
}
