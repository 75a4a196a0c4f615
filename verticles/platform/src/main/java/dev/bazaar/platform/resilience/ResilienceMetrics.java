package dev.bazaar.platform.resilience;

import dev.bazaar.platform.metrics.Metrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;

/**
 * The meters of the guarded clients (docs/OPERATIONS.md): each circuit breaker's state, calls by
 * outcome and transitions, and the retries of every client. A breaker's {@code service} label is
 * its name up to {@code @} (per-instance breakers are named {@code service@instanceId}).
 */
public final class ResilienceMetrics {
  public static final String STATE = "bazaar.circuit.breaker.state";
  public static final String CALLS = "bazaar.circuit.breaker.calls";
  public static final String TRANSITIONS = "bazaar.circuit.breaker.transitions";
  public static final String RETRIES = "bazaar.client.retries";

  /** How a call through a breaker ended, as the {@code outcome} label. */
  public enum Outcome {
    /** It ran and succeeded (a deliberate answer such as a 404 included). */
    SUCCESS,
    /** It ran and failed: counted against the breaker. */
    FAILURE,
    /** It ran and timed out: counted against the breaker. */
    TIMEOUT,
    /** It did not run: the breaker was open (or half-open with its trial call in flight). */
    REJECTED;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    static Outcome of(Throwable failure) {
      if (failure == null) {
        return SUCCESS;
      }
      if (failure instanceof OpenCircuitException) {
        return REJECTED;
      }
      return ServiceClient.isTimeout(failure) ? TIMEOUT : FAILURE;
    }
  }

  private final MeterRegistry registry;

  public ResilienceMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** On the registry Vert.x reports to. */
  public static ResilienceMetrics create() {
    return new ResilienceMetrics(Metrics.registry());
  }

  /** The gauge value of a state: 0 closed, 1 half-open, 2 open. */
  public static long code(CircuitBreakerState state) {
    return switch (state) {
      case CLOSED -> 0;
      case HALF_OPEN -> 1;
      case OPEN -> 2;
    };
  }

  /** {@code target} (a service, an event-bus address, the payment provider) is called again after a failure. */
  public void retried(String target) {
    Counter.builder(RETRIES).description("Calls repeated after a failed attempt, by target")
      .tag("service", target).register(registry).increment();
  }

  /** {@code breaker}, reporting its state, calls and transitions. */
  CircuitBreaker instrument(CircuitBreaker breaker) {
    return new MeteredCircuitBreaker(breaker, this);
  }

  static Tags tags(String breaker) {
    int at = breaker.indexOf('@');
    return Tags.of("breaker", breaker, "service", at < 0 ? breaker : breaker.substring(0, at));
  }

  MeterRegistry registry() {
    return registry;
  }
}
