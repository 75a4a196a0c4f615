package dev.bazaar.system.chaos;

import java.util.function.BooleanSupplier;

/** The one way this package waits: a condition polled until it holds or a deadline passes. */
final class Poll {
  private Poll() {
  }

  /** Polls {@code condition} every {@code periodMs} until it holds (true) or {@code System.nanoTime()} passes {@code endNanos} (false). */
  static boolean until(long endNanos, long periodMs, BooleanSupplier condition) {
    while (true) {
      if (condition.getAsBoolean()) {
        return true;
      }
      long leftMs = (endNanos - System.nanoTime()) / 1_000_000;
      if (leftMs <= 0) {
        return false;
      }
      try {
        Thread.sleep(Math.min(periodMs, leftMs));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }
}
