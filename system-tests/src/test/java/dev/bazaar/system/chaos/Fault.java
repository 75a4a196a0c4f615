package dev.bazaar.system.chaos;

import java.time.Duration;

/**
 * One fault of a plan: what it does ({@code inject}, which returns the pid it hit, 0 for none),
 * how long the fault is left in place ({@code hold}), and how it is undone ({@code restore},
 * given that pid). {@code service} names the service whose discovery entry shows the fault, or
 * is null when the fault is outside discovery (Kafka, PostgreSQL, the provider).
 */
public record Fault(String name, String service, Effect effect, Duration hold, Inject inject, Restore restore) {

  /** How the fault shows from outside, which decides when it counts as detected and as recovered. */
  public enum Effect {
    /** The instance dies and another one takes its place (kill -9, graceful restart). */
    REPLACES_INSTANCE,
    /** The instance stops answering and comes back as itself (SIGSTOP, SIGCONT). */
    FREEZES_INSTANCE,
    /** Infrastructure every service depends on goes away and comes back (Kafka, PostgreSQL). */
    INFRASTRUCTURE,
    /** The external payment provider fails or slows down. */
    PROVIDER
  }

  @FunctionalInterface
  public interface Inject {
    long run() throws Exception;
  }

  @FunctionalInterface
  public interface Restore {
    void run(long victim) throws Exception;
  }
}
