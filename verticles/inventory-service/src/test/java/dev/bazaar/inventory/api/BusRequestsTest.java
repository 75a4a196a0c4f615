package dev.bazaar.inventory.api;

import dev.bazaar.platform.validation.InvalidInputException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BusRequestsTest {
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
}
