package dev.bazaar.platform.http;

import java.math.BigInteger;
import java.util.OptionalLong;

/** JSON numbers that must be whole: 12 is, 12.0, 1e3, "12" and true are not. */
public final class WholeNumbers {
  private WholeNumbers() {
  }

  /** The value, or empty when {@code raw} is not an integral JSON number that fits in a long. */
  public static OptionalLong of(Object raw) {
    if (raw instanceof Integer || raw instanceof Long || raw instanceof Short || raw instanceof Byte) {
      return OptionalLong.of(((Number) raw).longValue());
    }
    if (raw instanceof BigInteger big && big.bitLength() < Long.SIZE) {
      return OptionalLong.of(big.longValue());
    }
    return OptionalLong.empty();
  }

  /** Is {@code raw} integral at all (possibly too big for a long)? Tells "not whole" from "out of range". */
  public static boolean isIntegral(Object raw) {
    return of(raw).isPresent() || raw instanceof BigInteger;
  }
}
