package dev.bazaar.inventory.api;

import dev.bazaar.platform.validation.InvalidInputException;
import dev.bazaar.inventory.domain.ReservationLine;
import dev.bazaar.inventory.domain.ReservationRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BusRequestsTest {
  private static final UUID ORDER = UUID.randomUUID();
  private static final UUID LOW = UUID.fromString("10000000-0000-0000-0000-000000000000");
  private static final UUID HIGH = UUID.fromString("80000000-0000-0000-0000-000000000000");

  @Test
  void aReservationIsReadMergedAndSorted() {
    ReservationRequest request = BusRequests.reservation(reserve(ORDER.toString().toUpperCase(),
      line(HIGH, 1), line(LOW, 2), line(LOW, 3)));
    assertThat(request.orderId()).isEqualTo(ORDER);
    assertThat(request.lines()).containsExactly(new ReservationLine(LOW, 5), new ReservationLine(HIGH, 1));
  }

  @Test
  void aHundredLinesOfTheLargestQuantityFit() {
    JsonObject[] lines = Collections.nCopies(100, line(LOW, ReservationLine.MAX_QUANTITY)).toArray(JsonObject[]::new);
    assertThat(BusRequests.reservation(reserve(ORDER.toString(), lines)).lines())
      .containsExactly(new ReservationLine(LOW, 100 * ReservationLine.MAX_QUANTITY));
  }

  @Test
  void malformedReservationsAreRejected() {
    JsonObject ok = line(LOW, 1);
    assertInvalid(new JsonObject().put("lines", new JsonArray().add(ok)));
    assertInvalid(reserve("1-1-1-1-1", ok));
    assertInvalid(new JsonObject().put("orderId", ORDER.toString()));
    assertInvalid(reserve(ORDER.toString()));
    assertInvalid(reserve(ORDER.toString(), Collections.nCopies(101, ok).toArray(JsonObject[]::new)));
    assertInvalid(new JsonObject().put("orderId", ORDER.toString()).put("lines", new JsonArray().add("line")));
    assertInvalid(new JsonObject().put("orderId", ORDER.toString()).put("lines", "line"));
    for (Object quantity : List.of(0, -1, 1.5, 1.0, "1", 1_000_001, Long.MAX_VALUE, true)) {
      assertInvalid(reserve(ORDER.toString(), new JsonObject().put("productId", LOW.toString()).put("quantity", quantity)));
    }
    assertInvalid(reserve(ORDER.toString(), new JsonObject().put("productId", "nope").put("quantity", 1)));
    assertInvalid(reserve(ORDER.toString(), new JsonObject().put("quantity", 1)));
  }

  @Test
  void productIdsAreOneToAHundredUuids() {
    UUID id = UUID.randomUUID();
    assertThat(BusRequests.productIds(new JsonObject().put("productIds", new JsonArray().add(id.toString())))).containsExactly(id);
    for (Object ids : List.of(new JsonArray(), "x", new JsonArray().add("x"), new JsonArray().add(5),
      new JsonArray(Collections.nCopies(101, id.toString())))) {
      assertThatThrownBy(() -> BusRequests.productIds(new JsonObject().put("productIds", ids))).isInstanceOf(InvalidInputException.class);
    }
    assertThatThrownBy(() -> BusRequests.productIds(new JsonObject())).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void orderIdsAreCanonicalUuids() {
    assertThat(BusRequests.orderId(new JsonObject().put("orderId", ORDER.toString()))).isEqualTo(ORDER);
    for (Object id : List.of("1-1-1-1-1", 5, new JsonObject())) {
      assertThatThrownBy(() -> BusRequests.orderId(new JsonObject().put("orderId", id))).isInstanceOf(InvalidInputException.class);
    }
  }

  private static JsonObject line(UUID productId, int quantity) {
    return new JsonObject().put("productId", productId.toString()).put("quantity", quantity);
  }

  private static JsonObject reserve(String orderId, JsonObject... lines) {
    return new JsonObject().put("orderId", orderId).put("lines", new JsonArray(List.of((Object[]) lines)));
  }

  private static void assertInvalid(JsonObject body) {
    assertThatThrownBy(() -> BusRequests.reservation(body)).as("%s", body).isInstanceOf(InvalidInputException.class);
  }
}
