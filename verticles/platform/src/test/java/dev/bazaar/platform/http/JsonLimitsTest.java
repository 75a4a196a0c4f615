package dev.bazaar.platform.http;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JsonLimitsTest {

  private static String violation(String json) {
    return JsonLimits.violation(Buffer.buffer(json), 32, 5);
  }

  @Test
  void nestingUpToTheLimitPasses() {
    assertThat(violation("[".repeat(32) + "]".repeat(32))).isNull();
    assertThat(violation("{\"a\":".repeat(31) + "{}" + "}".repeat(31))).isNull();
  }

  @Test
  void nestingPastTheLimitIsRejected() {
    assertThat(violation("[".repeat(33) + "]".repeat(33))).contains("deeper than 32");
    assertThat(violation("{\"a\":".repeat(40) + "1" + "}".repeat(40))).contains("deeper than 32");
  }

  @Test
  void arraysAreBoundedAtEveryLevel() {
    assertThat(violation("[1,2,3,4,5]")).isNull();
    assertThat(violation("[1,2,3,4,5,6]")).contains("more than 5 items");
    assertThat(violation("{\"a\":{\"b\":[1,2,3,4,5,6]}}")).contains("more than 5 items");
    // an object's members are not array items
    assertThat(violation("{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6}")).isNull();
    // each array counts its own items
    assertThat(violation("[[1,2,3],[1,2,3],[1,2]]")).isNull();
  }

  @Test
  void bracketsAndCommasInsideStringsDoNotCount() {
    assertThat(violation("{\"a\":\"" + "[[[[,,,,,,".repeat(10) + "\"}")).isNull();
    assertThat(violation("{\"a\":\"quote \\\" [[[[[[,,,,,,,\"}")).isNull();
  }
}
