package dev.bazaar.inventory.domain;

import dev.bazaar.platform.validation.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StockLevelTest {

  @Test
  void availableIsAWholeNumberInRange() {
    assertThat(StockLevel.available(0)).isZero();
    assertThat(StockLevel.available(1_000_000_000)).isEqualTo(1_000_000_000);
    assertThat(StockLevel.available(7L)).isEqualTo(7);
    for (Object bad : Arrays.asList(null, -1, 1_000_000_001, 2.5, 3.0, "3", false, new BigInteger("99999999999999999999"))) {
      assertThatThrownBy(() -> StockLevel.available(bad)).as("available %s", bad).isInstanceOf(InvalidInputException.class);
    }
  }
}
