package dev.bazaar.provider.api;

import dev.bazaar.provider.domain.ChargeBook;
import dev.bazaar.provider.domain.ChargeStatus;
import dev.bazaar.provider.domain.FaultDecision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.micrometer.backends.BackendRegistries;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The simulator's counters, next to Vert.x's HTTP metrics at {@code /metrics}:
 * <ul>
 *   <li>{@code bazaar_provider_charges_total{status}}: charges made (succeeded, declined)</li>
 *   <li>{@code bazaar_provider_replays_total{operation}}: idempotent replays (charge, refund): no new effect</li>
 *   <li>{@code bazaar_provider_refunds_total}: refunds made</li>
 *   <li>{@code bazaar_provider_faults_total{kind}}: injected latency, error, timeout, outage</li>
 *   <li>{@code bazaar_provider_charges_stored}, {@code bazaar_provider_charges_evicted_total}: the in-memory book</li>
 * </ul>
 * Every series exists from the start (at 0), so that rates work from the first scrape.
 */
public final class ProviderMetrics {
  private final Map<ChargeStatus, Counter> charges = new EnumMap<>(ChargeStatus.class);
  private final Counter chargeReplays;
  private final Counter refundReplays;
  private final Counter refunds;
  private final Counter latency;
  private final Map<FaultDecision.Kind, Counter> faults = new EnumMap<>(FaultDecision.Kind.class);

  ProviderMetrics(MeterRegistry registry, ChargeBook book) {
    for (ChargeStatus status : ChargeStatus.values()) {
      charges.put(status, Counter.builder("bazaar.provider.charges").description("Charges made, by outcome")
        .tag("status", status.value()).register(registry));
    }
    chargeReplays = replays(registry, "charge");
    refundReplays = replays(registry, "refund");
    refunds = Counter.builder("bazaar.provider.refunds").description("Refunds made").register(registry);
    latency = fault(registry, "latency");
    for (FaultDecision.Kind kind : FaultDecision.Kind.values()) {
      if (kind != FaultDecision.Kind.PASS) {
        faults.put(kind, fault(registry, kind.name().toLowerCase(Locale.ROOT)));
      }
    }
    Gauge.builder("bazaar.provider.charges.stored", book, ChargeBook::size)
      .description("Charges kept in memory").register(registry);
    FunctionCounter.builder("bazaar.provider.charges.evicted", book, ChargeBook::evicted)
      .description("Charges forgotten to stay within maxCharges").register(registry);
  }

  /** On the registry Vert.x was started with (a private one when metrics are off). */
  public static ProviderMetrics create(ChargeBook book) {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    return new ProviderMetrics(registry == null ? new SimpleMeterRegistry() : registry, book);
  }

  void charged(ChargeStatus status) {
    charges.get(status).increment();
  }

  void chargeReplayed() {
    chargeReplays.increment();
  }

  void refunded() {
    refunds.increment();
  }

  void refundReplayed() {
    refundReplays.increment();
  }

  void delayed() {
    latency.increment();
  }

  void fault(FaultDecision.Kind kind) {
    Counter counter = faults.get(kind);
    if (counter != null) {
      counter.increment();
    }
  }

  private static Counter replays(MeterRegistry registry, String operation) {
    return Counter.builder("bazaar.provider.replays").description("Idempotent replays: the earlier result, no new effect")
      .tag("operation", operation).register(registry);
  }

  private static Counter fault(MeterRegistry registry, String kind) {
    return Counter.builder("bazaar.provider.faults").description("Injected faults")
      .tag("kind", kind).register(registry);
  }
}
