package dev.bazaar.platform.resilience;

import dev.bazaar.platform.config.ClientSettings;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The circuit breakers of this JVM by name (vertx-circuit-breaker: closed, open, half-open), one
 * per service and one per service instance, shared by every verticle instance of the JVM. Each
 * reports its state, calls and transitions to Micrometer ({@link ResilienceMetrics}).
 */
public final class CircuitBreakers {
  private static final Logger LOG = LoggerFactory.getLogger(CircuitBreakers.class);

  private final Vertx vertx;
  private final CircuitBreakerOptions options;
  private final ResilienceMetrics metrics;
  private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
  // per service, its instances' breakers by instance id: the request path finds one without building its name
  private final Map<String, Map<String, CircuitBreaker>> byInstance = new ConcurrentHashMap<>();

  public CircuitBreakers(Vertx vertx, ClientSettings settings) {
    this(vertx, settings, ResilienceMetrics.create());
  }

  public CircuitBreakers(Vertx vertx, ClientSettings settings, ResilienceMetrics metrics) {
    this.vertx = vertx;
    this.metrics = metrics;
    // The breaker's own timeout stays off: the client times out each attempt itself and the
    // breaker counts that failure. Notifications over the clustered event bus are not wanted.
    this.options = new CircuitBreakerOptions()
      .setMaxFailures(settings.breakerMaxFailures())
      .setResetTimeout(settings.breakerResetMs())
      .setTimeout(-1)
      .setFailuresRollingWindow(10_000)
      .setNotificationAddress(null);
  }

  public CircuitBreaker forService(String service) {
    return breaker(service);
  }

  public CircuitBreaker forInstance(String service, String instanceId) {
    Map<String, CircuitBreaker> instances = byInstance.get(service);
    CircuitBreaker known = instances == null ? null : instances.get(instanceId);
    return known != null ? known : byInstance.computeIfAbsent(service, s -> new ConcurrentHashMap<>())
      .computeIfAbsent(instanceId, id -> breaker(service + "@" + id));
  }

  public CircuitBreakerState state(String name) {
    CircuitBreaker breaker = breakers.get(name);
    return breaker == null ? CircuitBreakerState.CLOSED : breaker.state();
  }

  /** Where the clients sharing these breakers count their retries. */
  public ResilienceMetrics metrics() {
    return metrics;
  }

  /** Name → state of every breaker created so far, sorted by name. */
  public Map<String, CircuitBreakerState> states() {
    Map<String, CircuitBreakerState> result = new TreeMap<>();
    breakers.forEach((name, breaker) -> result.put(name, breaker.state()));
    return result;
  }

  private CircuitBreaker breaker(String name) {
    return breakers.computeIfAbsent(name, n -> metrics.instrument(CircuitBreaker.create(n, vertx, new CircuitBreakerOptions(options)))
      .openHandler(v -> LOG.warn("circuit breaker {} OPEN", n))
      .halfOpenHandler(v -> LOG.info("circuit breaker {} HALF_OPEN", n))
      .closeHandler(v -> LOG.info("circuit breaker {} CLOSED", n)));
  }
}
