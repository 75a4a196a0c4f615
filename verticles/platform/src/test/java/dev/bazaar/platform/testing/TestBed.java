package dev.bazaar.platform.testing;

import io.vertx.core.Future;
import org.awaitility.Awaitility;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * What every module's tests need to wait and to listen, in one place: the result of a future with
 * a deadline, a condition that must come true ({@link #until}, Awaitility), and a free port. Tests
 * driven by vertx-junit5 may wait on their {@code VertxTestContext} instead.
 */
public final class TestBed {
  /** How long {@link #await(Future)} waits: generous, for a busy machine; a hang still fails. */
  public static final Duration AWAIT = Duration.ofSeconds(60);

  private TestBed() {
  }

  /**
   * The result of {@code future}; its failure is thrown as an {@link java.util.concurrent.ExecutionException}
   * (the cause inside), no result within {@link #AWAIT} as a {@link java.util.concurrent.TimeoutException}.
   */
  public static <T> T await(Future<T> future) throws Exception {
    return await(future, AWAIT);
  }

  public static <T> T await(Future<T> future, Duration timeout) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The failure of {@code future} ({@code null} when it succeeded), within {@link #AWAIT}. */
  public static Throwable failure(Future<?> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().handle((v, e) -> e).get(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Returns once {@code condition} holds, checked every 20 ms by Awaitility; fails with a
   * {@link org.awaitility.core.ConditionTimeoutException} naming {@code what} after {@code timeout},
   * and at once with whatever the condition throws.
   */
  public static void until(String what, Duration timeout, Callable<Boolean> condition) {
    Awaitility.await(what).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20)).until(condition);
  }

  /** A port nobody listens on right now (the OS's choice). */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
