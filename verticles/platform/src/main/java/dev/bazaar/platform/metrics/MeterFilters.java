package dev.bazaar.platform.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** How Bazaar's Prometheus registry shapes meters, configured before the first meter exists. */
public final class MeterFilters {
  /** The timers published as Prometheus histograms ({@code _bucket{le}} series). */
  public static final Set<String> LATENCY_TIMERS = Set.of(
    "vertx.http.server.response.time",
    "vertx.http.client.response.time",
    "bazaar.outbox.relay.latency");
  /** Their bucket bounds: from a fast local call to well past every timeout of the system. */
  public static final List<Duration> LATENCY_BUCKETS = List.of(
    Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
    Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
    Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10));
  /** Distinct {@code route} values kept per HTTP client meter; more are reported as {@value #OTHER}. */
  public static final int MAX_CLIENT_ROUTES = 200;
  public static final String OTHER = "other";

  private MeterFilters() {
  }

  /**
   * Fixed buckets for the {@link #LATENCY_TIMERS} only. Vert.x's {@code publishQuantiles} would
   * instead give every timer and distribution summary (request and response sizes included) about
   * 70 to 270 buckets per label set: thousands of series per service for little use.
   */
  public static MeterFilter latencyHistograms() {
    double[] bounds = LATENCY_BUCKETS.stream().mapToDouble(Duration::toNanos).toArray();
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (id.getType() != Meter.Type.TIMER || !LATENCY_TIMERS.contains(id.getName())) {
          return config;
        }
        return DistributionStatisticConfig.builder().serviceLevelObjectives(bounds).build().merge(config);
      }
    };
  }

  /**
   * A safety net under {@link HttpClientRoutes}: the gateway forwards whatever paths its callers
   * send, so after {@link #MAX_CLIENT_ROUTES} distinct templates further ones become {@value #OTHER}.
   */
  public static MeterFilter boundedClientRoutes() {
    Set<String> seen = ConcurrentHashMap.newKeySet();
    return new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        String route = id.getName().startsWith("vertx.http.client.") ? id.getTag(HttpClientRoutes.TAG) : null;
        if (route == null || seen.contains(route)) {
          return id;
        }
        if (seen.size() < MAX_CLIENT_ROUTES) {
          seen.add(route);
          return id;
        }
        List<Tag> tags = id.getTags().stream()
          .map(tag -> tag.getKey().equals(HttpClientRoutes.TAG) ? Tag.of(HttpClientRoutes.TAG, OTHER) : tag)
          .toList();
        return id.replaceTags(tags);
      }
    };
  }

  /**
   * Event-bus addresses that carry an id ({@code notifications.<userId>}, one per user the live
   * bridge serves) are counted under their family, {@code notifications.*}: one series per user
   * would grow without bound.
   */
  public static MeterFilter boundedBusAddresses() {
    return MeterFilter.replaceTagValues("address",
      address -> address.startsWith("notifications.") ? "notifications.*" : address);
  }
}
