package dev.bazaar.gateway.live;

import dev.bazaar.platform.metrics.Metrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bridge's meters (docs/OPERATIONS.md): {@code bazaar_bridge_connections} (open now),
 * {@code bazaar_bridge_registrations_total{address}}, {@code bazaar_bridge_pushed_total{address}}
 * and {@code bazaar_bridge_refused_total{reason}}. {@code address} is the kind of address
 * ({@code notifications}, {@code ops.events}), never a user's id.
 */
final class BridgeMetrics {
  /** Why the bridge refused a frame or a connection. */
  enum Refusal {
    /** a send or publish: clients only listen */
    INBOUND("inbound"),
    /** an address that is not notifications.&lt;userId&gt; or ops.events */
    ADDRESS("address"),
    /** a register frame without a valid bearer token */
    TOKEN("token"),
    /** another user's notifications, or ops.events without the admin role */
    FORBIDDEN("forbidden"),
    /** a frame over maxFrameBytes */
    OVERSIZED("oversized"),
    /** more frames than the connection's rate allows: the connection is closed */
    FLOOD("flood"),
    /** the token of a registration expired: the connection is closed */
    EXPIRED("expired"),
    /** tokens cannot be verified right now (JWKS unreachable) */
    UNAVAILABLE("unavailable"),
    /** the JVM holds maxConnections already */
    CONNECTIONS("connections");

    final String label;

    Refusal(String label) {
      this.label = label;
    }
  }

  private final AtomicLong connections;
  private final Map<Refusal, Counter> refused = new EnumMap<>(Refusal.class);
  private final MeterRegistry registry;

  BridgeMetrics(MeterRegistry registry) {
    this.registry = registry;
    connections = Metrics.gauge(registry, "bazaar.bridge.connections", "Event-bus bridge connections open now", Tags.empty());
    for (Refusal reason : Refusal.values()) {
      refused.put(reason, Counter.builder("bazaar.bridge.refused").description("Bridge frames and connections refused, by reason")
        .tag("reason", reason.label).register(registry));
    }
  }

  static BridgeMetrics create() {
    return new BridgeMetrics(Metrics.registry());
  }

  /** Open connections of this JVM now. */
  long connections() {
    return connections.get();
  }

  void opened() {
    connections.incrementAndGet();
  }

  void closed() {
    connections.decrementAndGet();
  }

  void refused(Refusal reason) {
    refused.get(reason).increment();
  }

  void registered(String addressKind) {
    Counter.builder("bazaar.bridge.registrations").description("Addresses clients registered for, by kind of address")
      .tag("address", addressKind).register(registry).increment();
  }

  void pushed(String addressKind) {
    Counter.builder("bazaar.bridge.pushed").description("Messages pushed to bridge clients, by kind of address")
      .tag("address", addressKind).register(registry).increment();
  }
}
