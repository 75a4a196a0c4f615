package dev.bazaar.platform.boot;

import dev.bazaar.platform.config.ConfigException;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Bounds a JVM's start: joining the cluster and deploying the service must finish within
 * {@code BAZAAR_START_TIMEOUT_SECONDS} (default 60), or the JVM says why and exits with status
 * {@value #EXIT_CODE}, so that whoever started it (scripts/bazaar, an orchestrator) can start it
 * again. Without it a member stuck joining a grid that is merging would wait for the launcher's
 * own two minutes per step, or forever on a lock held by the grid.
 */
final class StartWatchdog {
  static final int EXIT_CODE = 75; // EX_TEMPFAIL: try again
  private final Duration timeout;
  private ScheduledExecutorService timer;
  private ScheduledFuture<?> pending;

  StartWatchdog(Duration timeout) {
    this.timeout = timeout;
  }

  static Duration timeoutFromEnvironment(Map<String, String> env) {
    return seconds(env, "BAZAAR_START_TIMEOUT_SECONDS", 60);
  }

  /** {@code name} from the environment as a number of seconds from 1 to 3600, {@code fallback} when unset. */
  static Duration seconds(Map<String, String> env, String name, long fallback) {
    String value = env.getOrDefault(name, Long.toString(fallback));
    try {
      long seconds = Long.parseLong(value.trim());
      if (seconds < 1 || seconds > 3600) {
        throw new NumberFormatException();
      }
      return Duration.ofSeconds(seconds);
    } catch (NumberFormatException e) {
      throw new ConfigException(name + " must be a number of seconds from 1 to 3600, not '" + value + "'");
    }
  }

  synchronized void arm() {
    timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "bazaar-start-watchdog");
      thread.setDaemon(true);
      return thread;
    });
    pending = timer.schedule(this::expire, timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  synchronized void disarm() {
    if (pending != null) {
      pending.cancel(false);
      timer.shutdown();
    }
  }

  private void expire() {
    String message = "not started within " + timeout.toSeconds() + " s (joining the cluster or deploying the service did not finish);"
      + " exiting with status " + EXIT_CODE + " so that it can be started again";
    Relaunch.halt(EXIT_CODE, "BAZAAR-START-FAILED", message);
  }
}
