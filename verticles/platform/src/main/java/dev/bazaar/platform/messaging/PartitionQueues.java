package dev.bazaar.platform.messaging;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;

/**
 * The polling side of an {@link IdempotentConsumer}: polls Kafka, queues records per assigned
 * partition, and processes each partition's queue in order, a batch at a time: whatever is queued,
 * up to {@link KafkaSettings#consumerBatchSize()} records (partitions run concurrently). A partition with {@link KafkaSettings#consumerMaxQueued()} records queued is paused,
 * and resumed at half. A record is done when its processing succeeds; then its offset goes to
 * {@link OffsetCommits}. All on the owning context.
 */
final class PartitionQueues {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionQueues.class);
  /**
   * How long an empty poll waits. Records end a poll as soon as they arrive, so this only sets how
   * often an idle consumer wakes up (twice a second, not ten times), and how long a commit, pause,
   * resume or end-offset query can wait behind a poll: vertx-kafka-client runs them all on the
   * consumer's one thread. A paused partition therefore may take one more poll's records (its
   * queue stays bounded by {@code consumerMaxQueued + consumerMaxPollRecords}).
   */
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

  private final Vertx vertx;
  private final KafkaConsumer<String, Buffer> consumer;
  private final KafkaSettings settings;
  private final String name;
  private final BiFunction<List<KafkaConsumerRecord<String, Buffer>>, BooleanSupplier, Future<List<IdempotentConsumer.Outcome>>> process;
  private final Map<TopicPartition, Partition> partitions = new HashMap<>();
  private OffsetCommits offsets;
  private boolean stopped;
  private boolean crashed;
  private BiConsumer<KafkaConsumerRecord<String, Buffer>, IdempotentConsumer.Outcome> onOutcome = (record, outcome) -> { };

  /**
   * {@code process}: a batch of one partition's records, in order, to its end (an outcome per record),
   * retried as long as it takes; it may fail once the {@code BooleanSupplier} it is given says the
   * records are given up (partition revoked, consumer stopped).
   */
  PartitionQueues(Vertx vertx, KafkaConsumer<String, Buffer> consumer, KafkaSettings settings, String name,
                  BiFunction<List<KafkaConsumerRecord<String, Buffer>>, BooleanSupplier, Future<List<IdempotentConsumer.Outcome>>> process) {
    this.vertx = vertx;
    this.consumer = consumer;
    this.settings = settings;
    this.name = name;
    this.process = process;
    consumer.partitionsAssignedHandler(this::assigned);
    consumer.partitionsRevokedHandler(this::revoked);
  }

  void offsets(OffsetCommits offsets) {
    this.offsets = offsets;
  }

  /** Test and metrics hook: told how each record ended. */
  void onOutcome(BiConsumer<KafkaConsumerRecord<String, Buffer>, IdempotentConsumer.Outcome> listener) {
    this.onOutcome = Objects.requireNonNull(listener);
  }

  boolean owns(TopicPartition tp) {
    return partitions.containsKey(tp);
  }

  Set<TopicPartition> assignment() {
    return Set.copyOf(partitions.keySet());
  }

  /** The offset of the next record of {@code tp} to process, when known here. */
  Long nextToProcess(TopicPartition tp) {
    Partition p = partitions.get(tp);
    return p == null ? null : p.nextToProcess();
  }

  int queued() {
    int n = 0;
    for (Partition p : partitions.values()) {
      n += p.queue.size();
    }
    return n;
  }

  /** The records being processed now: what a stop lets finish. */
  List<Future<Void>> inFlight() {
    List<Future<Void>> current = new ArrayList<>();
    partitions.values().forEach(p -> current.add(p.current));
    return current;
  }

  /** Stops polling and taking the next records; with {@code crash}, not even the record in flight is marked done. */
  void stop(boolean crash) {
    stopped = true;
    crashed |= crash;
  }

  void poll() {
    if (stopped) {
      return;
    }
    consumer.poll(POLL_TIMEOUT).onComplete(ar -> {
      if (stopped) {
        return;
      }
      if (ar.succeeded()) {
        dispatch(ar.result());
        poll();
      } else {
        LOG.warn("{}: poll failed: {}", name, ar.cause().toString());
        vertx.setTimer(settings.backoffCapMs(), id -> poll());
      }
    });
  }

  private void dispatch(KafkaConsumerRecords<String, Buffer> records) {
    Set<Partition> touched = new LinkedHashSet<>();
    for (int i = 0; i < records.size(); i++) {
      KafkaConsumerRecord<String, Buffer> record = records.recordAt(i);
      Partition p = partitions.computeIfAbsent(new TopicPartition(record.topic(), record.partition()), Partition::new);
      p.queue.add(record);
      touched.add(p);
    }
    for (Partition p : touched) {
      if (!p.paused && p.queue.size() >= settings.consumerMaxQueued()) {
        p.paused = true;
        consumer.pause(p.tp).onFailure(err -> LOG.debug("{}: pause {} failed: {}", name, p.tp, err.toString()));
      }
      next(p);
    }
  }

  private void assigned(Set<TopicPartition> assigned) {
    for (TopicPartition tp : assigned) {
      partitions.computeIfAbsent(tp, Partition::new);
    }
    LOG.info("{}: assigned {}", name, assigned);
  }

  private void revoked(Set<TopicPartition> revoked) {
    for (TopicPartition tp : revoked) {
      Partition p = partitions.remove(tp);
      if (p != null) {
        p.revoked = true;
        p.queue.clear();
      }
      offsets.revoked(tp);
    }
    LOG.info("{}: revoked {}", name, revoked);
  }

  /** Processes the head of the partition's queue (a batch) if nothing of that partition is in flight. */
  private void next(Partition p) {
    if (p.busy || p.revoked || stopped || p.queue.isEmpty()) {
      return;
    }
    p.busy = true;
    List<KafkaConsumerRecord<String, Buffer>> batch = new ArrayList<>(Math.min(p.queue.size(), settings.consumerBatchSize()));
    for (KafkaConsumerRecord<String, Buffer> record : p.queue) {
      if (batch.size() == settings.consumerBatchSize()) {
        break;
      }
      batch.add(record);
    }
    Future<List<IdempotentConsumer.Outcome>> done = process.apply(batch, () -> stopped || p.revoked);
    p.current = done.mapEmpty();
    done.onComplete(ar -> {
      p.busy = false;
      if (ar.succeeded()) {
        for (int i = 0; i < batch.size(); i++) {
          onOutcome.accept(batch.get(i), ar.result().get(i));
        }
      }
      if (ar.failed() || p.revoked || crashed) {
        return;
      }
      for (int i = 0; i < batch.size(); i++) {
        p.queue.poll();
      }
      p.nextOffset = batch.get(batch.size() - 1).offset() + 1;
      // committed to Kafka by the consumer's periodic commit (or at stop): a commit per batch would
      // cost the broker a write to __consumer_offsets per event at low rates
      offsets.processed(p.tp, p.nextOffset);
      if (stopped) {
        return; // stop() commits it
      }
      if (p.paused && p.queue.size() <= settings.consumerMaxQueued() / 2) {
        p.paused = false;
        consumer.resume(p.tp).onFailure(err -> LOG.debug("{}: resume {} failed: {}", name, p.tp, err.toString()));
      }
      next(p);
    });
  }

  private static final class Partition {
    final TopicPartition tp;
    final ArrayDeque<KafkaConsumerRecord<String, Buffer>> queue = new ArrayDeque<>();
    boolean busy;
    boolean paused;
    boolean revoked;
    long nextOffset = -1;
    Future<Void> current = Future.succeededFuture();

    Partition(TopicPartition tp) {
      this.tp = tp;
    }

    Long nextToProcess() {
      if (!queue.isEmpty()) {
        return queue.peek().offset();
      }
      return nextOffset >= 0 ? nextOffset : null;
    }
  }
}
