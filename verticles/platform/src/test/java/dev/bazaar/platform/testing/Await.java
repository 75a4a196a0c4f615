package dev.bazaar.platform.testing;

import io.vertx.core.Future;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Waiting in tests that drive Vert.x from the test thread. The deadline is generous on purpose:
 * on a machine busy with a whole local cluster a fresh Vert.x's first request can take more than
 * ten seconds; a test waits for its condition, it does not assume a fast machine.
 */
public final class Await {
  public static final long DEADLINE_SECONDS = 60;

  private Await() {
  }

  /** The result of {@code future}, or its failure thrown (wrapped), within the deadline. */
  public static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  /** The failure of {@code future} ({@code null} when it succeeded), within the deadline. */
  public static Throwable failure(Future<?> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().handle((v, e) -> e).get(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  /** Polls {@code condition} every 10 ms until it holds; fails at the deadline. */
  public static void until(String what, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError(what + ": not within " + DEADLINE_SECONDS + " s");
      }
      Thread.sleep(10);
    }
  }
}
