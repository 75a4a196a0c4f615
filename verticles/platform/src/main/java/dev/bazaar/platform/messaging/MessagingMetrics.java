package dev.bazaar.platform.messaging;

import dev.bazaar.platform.metrics.Metrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The meters of the outbox and of the idempotent consumers (docs/OPERATIONS.md):
 * <ul>
 *   <li>{@code bazaar_outbox_backlog{outbox}}: rows not yet published, sampled every
 *       {@link #SAMPLE_EVERY} by every instance (the same database-wide number: take the max);</li>
 *   <li>{@code bazaar_outbox_relay_active{outbox}}: 1 on the instance holding the relay lock;</li>
 *   <li>{@code bazaar_outbox_relay_latency_seconds{outbox}}: from the row's {@code created_at} (the
 *       writing transaction's start, database clock) to Kafka's ack, histogram;</li>
 *   <li>{@code bazaar_kafka_consumer_lag{consumer}}: records of this instance's partitions not yet
 *       processed, sampled every {@link #SAMPLE_EVERY} (instances of a group: take the sum);</li>
 *   <li>{@code bazaar_kafka_consumer_records_total{consumer, outcome}} (applied, duplicate, ignored,
 *       dead_lettered) and {@code bazaar_kafka_consumer_retries_total{consumer}}.</li>
 * </ul>
 * Samples run on the owner's context, one at a time (a slow one is skipped, never queued).
 */
public final class MessagingMetrics {
  private static final Logger LOG = LoggerFactory.getLogger(MessagingMetrics.class);
  public static final Duration SAMPLE_EVERY = Duration.ofSeconds(5);

  private MessagingMetrics() {
  }

  /** Samples the backlog of {@code relay}'s outbox (database {@code outbox}) and whether it is the active relay. Call on its context. */
  public static void watch(Vertx vertx, OutboxRelay relay, String outbox) {
    MeterRegistry registry = Metrics.registry();
    Tags tags = Tags.of("outbox", outbox);
    AtomicLong backlog = Metrics.gauge(registry, "bazaar.outbox.backlog", "Outbox rows not yet published to Kafka", tags);
    // read when scraped: the relay knows at every moment whether it holds the lock
    io.micrometer.core.instrument.Gauge.builder("bazaar.outbox.relay.active", relay, r -> r.isActive() ? 1 : 0)
      .description("1 if this instance is the active outbox relay").tags(tags).strongReference(true).register(registry);
    sample(vertx, "outbox backlog of " + outbox, relay::backlog, backlog);
  }

  /** Samples {@code consumer}'s lag and counts its records by outcome and its retries. Call on its context. */
  public static void watch(Vertx vertx, IdempotentConsumer consumer) {
    MeterRegistry registry = Metrics.registry();
    Tags tags = Tags.of("consumer", consumer.name());
    AtomicLong lag = Metrics.gauge(registry, "bazaar.kafka.consumer.lag",
      "Records of this instance's partitions not yet processed", tags);
    Map<IdempotentConsumer.Outcome, Counter> records = new EnumMap<>(IdempotentConsumer.Outcome.class);
    for (IdempotentConsumer.Outcome outcome : IdempotentConsumer.Outcome.values()) {
      records.put(outcome, Counter.builder("bazaar.kafka.consumer.records").description("Records consumed, by how they ended")
        .tags(tags).tag("outcome", outcome.name().toLowerCase(Locale.ROOT)).register(registry));
    }
    Counter retries = Counter.builder("bazaar.kafka.consumer.retries").description("Failed attempts at a record, retried")
      .tags(tags).register(registry);
    consumer.onOutcome((record, outcome) -> records.get(outcome).increment());
    consumer.onRetry(error -> retries.increment());
    sample(vertx, "lag of " + consumer.name(), consumer::lag, lag);
  }

  /** What the relay records when Kafka acked an outbox row. */
  static RelayLatency relayLatency(String outbox) {
    Timer timer = Timer.builder("bazaar.outbox.relay.latency")
      .description("Outbox row created (database clock) to published (Kafka ack)")
      .tag("outbox", outbox)
      .register(Metrics.registry());
    return new RelayLatency(timer);
  }

  /** The relay latency timer of one outbox. */
  static final class RelayLatency {
    private final Timer timer;

    private RelayLatency(Timer timer) {
      this.timer = timer;
    }

    /** {@code row} (with its {@code created_at}) was acked by Kafka just now. */
    void published(Row row) {
      OffsetDateTime created = row.getOffsetDateTime("created_at");
      if (created != null) {
        long ms = System.currentTimeMillis() - created.toInstant().toEpochMilli();
        timer.record(Duration.ofMillis(Math.max(0, ms)));
      }
    }
  }

  private static void sample(Vertx vertx, String what, Supplier<Future<Long>> read, AtomicLong into) {
    boolean[] inFlight = {false};
    // the first sample at once: until then the gauge would read 0, which looks like "all caught up"
    vertx.setPeriodic(1, SAMPLE_EVERY.toMillis(), id -> {
      if (inFlight[0]) {
        return;
      }
      inFlight[0] = true;
      Future<Long> value;
      try {
        value = read.get();
      } catch (RuntimeException e) {
        value = Future.failedFuture(e);
      }
      value
        .onSuccess(into::set)
        .onFailure(err -> LOG.debug("sampling the {} failed: {}", what, err.toString()))
        .onComplete(ar -> inFlight[0] = false);
    });
  }
}
