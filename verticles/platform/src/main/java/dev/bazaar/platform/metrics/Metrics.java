package dev.bazaar.platform.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.bazaar.platform.http.OpsAccess;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.micrometer.backends.BackendRegistries;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Prometheus text at {@code /metrics} from the registry Vert.x was started with, and the few
 * helpers Bazaar's own meters share. docs/OPERATIONS.md lists the series that matter.
 */
public final class Metrics {
  // a composite without children records nothing: meters of a Vert.x started without metrics
  private static final MeterRegistry NONE = new CompositeMeterRegistry();
  private static final Map<MeterRegistry, Map<String, AtomicLong>> GAUGES = Collections.synchronizedMap(new WeakHashMap<>());

  private Metrics() {
  }

  /** {@code GET /metrics}, for operations only ({@link OpsAccess}: loopback or the operations token). */
  public static void mount(Router router) {
    router.get("/metrics").handler(OpsAccess.fromEnvironment()).handler(PrometheusScrapingHandler.create());
  }

  /**
   * Prepares the Prometheus registry that Vert.x will report to under {@code options}' registry
   * name, with {@link MeterFilters#latencyHistograms()} and {@link MeterFilters#boundedClientRoutes()}
   * configured before any meter exists (a filter added later would not apply to meters already
   * registered, such as the JVM's). Vert.x takes an existing backend of that name as it is.
   */
  public static void prepareRegistry(MicrometerMetricsOptions options) {
    if (BackendRegistries.getNow(options.getRegistryName()) != null) {
      return;
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config()
      .meterFilter(MeterFilters.boundedClientRoutes())
      .meterFilter(MeterFilters.boundedBusAddresses())
      .meterFilter(MeterFilters.latencyHistograms());
    BackendRegistries.setupBackend(options, registry);
  }

  /** The registry Vert.x reports to; one that keeps nothing when Vert.x runs without metrics (unit tests). */
  public static MeterRegistry registry() {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    return registry != null ? registry : NONE;
  }

  /**
   * The value behind the gauge {@code name}{@code tags} of {@code registry}, registered at its
   * first use: every caller asking for the same series gets the same value to set (Micrometer
   * would keep observing only the first caller's object).
   */
  public static AtomicLong gauge(MeterRegistry registry, String name, String description, Tags tags) {
    Map<String, AtomicLong> values;
    synchronized (GAUGES) {
      values = GAUGES.computeIfAbsent(registry, r -> new ConcurrentHashMap<>());
    }
    return values.computeIfAbsent(name + tags, key -> {
      AtomicLong value = new AtomicLong();
      Gauge.builder(name, value, AtomicLong::doubleValue).description(description).tags(tags).strongReference(true)
        .register(registry);
      return value;
    });
  }
}
