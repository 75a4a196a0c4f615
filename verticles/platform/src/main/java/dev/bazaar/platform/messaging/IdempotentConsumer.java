package dev.bazaar.platform.messaging;

import dev.bazaar.platform.db.DatabaseUnavailable;
import dev.bazaar.platform.resilience.RetryPolicy;
import dev.bazaar.platform.tracing.Tracing;
import io.opentelemetry.api.trace.SpanKind;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import io.vertx.kafka.client.producer.KafkaHeader;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Consumes a service's topics so that each event's effect happens once, even when Kafka delivers it
 * twice (a producer's retry, an outbox relay that crashed before marking, a rebalance, a restart).
 *
 * <p>For every record, in order within its partition (partitions run concurrently):
 * <ol>
 *   <li>the value is parsed as an {@link EventEnvelope}; a record that is not one, whose key is not
 *       its order id, or whose type this consumer does not know goes to the dead-letter topic
 *       {@code <topic><deadLetterSuffix>} (original key, value and headers, plus {@link #DLQ_REASON}
 *       and where it came from) and consumption goes on;</li>
 *   <li>types declared with {@link Builder#ignore} are skipped;</li>
 *   <li>otherwise, in ONE database transaction: {@code INSERT INTO processed_events ... ON CONFLICT
 *       DO NOTHING}; if the event id was already there the handler is not called (a duplicate
 *       changes nothing), else the handler runs on the same connection;</li>
 *   <li>the record's offset is committed to Kafka only after that transaction committed (commits
 *       are coalesced: at most one in flight, the latest processed offset per partition).</li>
 * </ol>
 * A handler that fails (database down, a dependency unavailable) is retried with exponential backoff
 * and jitter, {@link KafkaSettings#handlerAttempts()} times quickly, then forever every
 * {@link KafkaSettings#backoffCapMs()}: the partition waits, nothing is committed past an
 * unprocessed record. A handler that knows the event can never be applied (malformed payload) fails
 * with {@link PoisonEventException}: the transaction rolls back and the record is dead-lettered. A
 * business rejection is not a failure: the handler stores and emits (through the {@link Outbox},
 * same transaction) whatever answers it.
 *
 * <p>Bounded: {@link KafkaSettings#consumerMaxQueued()} records in memory per partition (the
 * partition is paused above, resumed at half), {@code max.poll.records} per poll. Manual commits,
 * {@code auto.offset.reset=earliest}, cooperative-sticky assignment. Rows of
 * {@code processed_events} older than {@link KafkaSettings#processedRetentionHours()} are deleted
 * every 10 minutes (keep that longer than the topics' retention).
 *
 * <p>Every service that consumes includes this migration (the text of {@link #SCHEMA_SQL}):
 * <pre>
 * CREATE TABLE processed_events (
 *   consumer     text        NOT NULL,
 *   event_id     uuid        NOT NULL,
 *   processed_at timestamptz NOT NULL DEFAULT now(),
 *   PRIMARY KEY (consumer, event_id)
 * );
 * CREATE INDEX processed_events_age ON processed_events (processed_at);
 * </pre>
 * Create and start it on the verticle that owns it; {@link #start()} creates the topics and their
 * dead-letter topics if missing (so it fails if Kafka cannot be reached), then subscribes.
 */
public final class IdempotentConsumer {
  private static final Logger LOG = LoggerFactory.getLogger(IdempotentConsumer.class);
  public static final String SCHEMA_SQL = """
    CREATE TABLE processed_events (
      consumer     text        NOT NULL,
      event_id     uuid        NOT NULL,
      processed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (consumer, event_id)
    );
    CREATE INDEX processed_events_age ON processed_events (processed_at);
    """;
  /** Dead-letter record headers: why, and where the record came from. */
  public static final String DLQ_REASON = "dlq-reason";
  public static final String DLQ_TOPIC = "dlq-topic";
  public static final String DLQ_PARTITION = "dlq-partition";
  public static final String DLQ_OFFSET = "dlq-offset";
  public static final String DLQ_CONSUMER = "dlq-consumer";

  private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
  private static final long COMMIT_EVERY_MS = 1000;
  private static final long PURGE_EVERY_MS = 10 * 60_000L;
  private static final String MARK_PROCESSED =
    "INSERT INTO processed_events (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING";
  private static final String PURGE = "DELETE FROM processed_events WHERE ctid IN (SELECT ctid FROM processed_events"
    + " WHERE consumer = $1 AND processed_at < now() - make_interval(hours => $2) LIMIT 5000)";

  /** What a service does with one event, inside the transaction that also records it as processed. */
  @FunctionalInterface
  public interface EventHandler {
    Future<Void> handle(SqlConnection tx, EventEnvelope event);
  }

  /** How a record ended: for tests and metrics. */
  enum Outcome { APPLIED, DUPLICATE, IGNORED, DEAD_LETTERED }

  private final Vertx vertx;
  private final Pool pool;
  private final KafkaSettings settings;
  private final String group;
  private final String name;
  private final List<String> topics;
  private final Map<String, EventHandler> handlers;
  private final Set<String> ignored;
  private final RetryPolicy backoff;

  private KafkaConsumer<String, Buffer> consumer;
  private KafkaProducer<String, Buffer> deadLetters;
  private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();
  private final Map<TopicPartition, Long> pendingCommits = new HashMap<>();
  private boolean started;
  private boolean stopped;
  private boolean crashed;
  private boolean committing;
  private Future<Void> commitInFlight = Future.succeededFuture();
  private long commitTimer = -1;
  private long purgeTimer = -1;
  private Function<Map<TopicPartition, Long>, Future<Void>> beforeCommit = offsets -> Future.succeededFuture();
  private java.util.function.BiConsumer<KafkaConsumerRecord<String, Buffer>, Outcome> onOutcome = (record, outcome) -> { };
  private java.util.function.Consumer<Throwable> onRetry = err -> { };

  private IdempotentConsumer(Builder builder) {
    this.vertx = builder.vertx;
    this.pool = builder.pool;
    this.settings = builder.settings;
    this.group = builder.group;
    this.name = builder.name;
    this.topics = List.copyOf(builder.topics);
    this.handlers = Map.copyOf(builder.handlers);
    this.ignored = Set.copyOf(builder.ignored);
    this.backoff = settings.backoff();
  }

  /** A consumer for the group {@link KafkaSettings#consumerGroup()} (see {@link Builder#group}). */
  public static Builder builder(Vertx vertx, Pool pool, KafkaSettings settings) {
    return new Builder(vertx, pool, settings);
  }

  public static final class Builder {
    private final Vertx vertx;
    private final Pool pool;
    private final KafkaSettings settings;
    private String group;
    private String name;
    private final Set<String> topics = new LinkedHashSet<>();
    private final Map<String, EventHandler> handlers = new HashMap<>();
    private final Set<String> ignored = new HashSet<>();

    private Builder(Vertx vertx, Pool pool, KafkaSettings settings) {
      this.vertx = Objects.requireNonNull(vertx);
      this.pool = Objects.requireNonNull(pool);
      this.settings = Objects.requireNonNull(settings);
      this.group = settings.consumerGroup();
    }

    /** The Kafka consumer group (default: {@link KafkaSettings#consumerGroup()}). */
    public Builder group(String group) {
      this.group = group;
      return this;
    }

    /** The {@code processed_events.consumer} of this consumer (default: the group). */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder topics(String... topics) {
      this.topics.addAll(List.of(topics));
      return this;
    }

    /** Events of {@code type} are applied by {@code handler}. */
    public Builder on(String type, EventHandler handler) {
      if (handlers.putIfAbsent(type, Objects.requireNonNull(handler)) != null) {
        throw new IllegalArgumentException("two handlers for " + type);
      }
      return this;
    }

    /** Known types this consumer has nothing to do with: skipped (and committed), not dead-lettered. */
    public Builder ignore(String... types) {
      ignored.addAll(List.of(types));
      return this;
    }

    public IdempotentConsumer build() {
      if (group == null || group.isBlank()) {
        throw new IllegalArgumentException("a consumer group is required (kafka.consumerGroup)");
      }
      if (name == null) {
        name = group;
      }
      if (topics.isEmpty() || handlers.isEmpty()) {
        throw new IllegalArgumentException("a consumer needs topics and at least one handler");
      }
      for (String type : ignored) {
        if (handlers.containsKey(type)) {
          throw new IllegalArgumentException(type + " is both handled and ignored");
        }
      }
      return new IdempotentConsumer(this);
    }
  }

  /** Creates missing topics (and dead-letter topics), subscribes, and starts polling. */
  public Future<Void> start() {
    if (started) {
      return Future.failedFuture(new IllegalStateException("already started"));
    }
    if (Vertx.currentContext() == null) {
      return Future.failedFuture(new IllegalStateException("start the consumer on a Vert.x context (the verticle that owns it)"));
    }
    started = true;
    List<String> all = new ArrayList<>(topics);
    topics.forEach(t -> all.add(settings.deadLetterTopic(t)));
    consumer = KafkaConsumer.create(vertx, KafkaClients.consumer(settings, group, "consumer"));
    consumer.exceptionHandler(err -> LOG.warn("{}: consumer error: {}", name, err.toString()));
    consumer.partitionsAssignedHandler(this::assigned);
    consumer.partitionsRevokedHandler(this::revoked);
    deadLetters = KafkaProducer.create(vertx, KafkaClients.producer(settings, "dlq"));
    deadLetters.exceptionHandler(err -> LOG.debug("{}: dead-letter producer error: {}", name, err.toString()));
    return Topics.ensure(vertx, settings, all)
      .compose(v -> consumer.subscribe(new LinkedHashSet<>(topics)))
      .onSuccess(v -> {
        LOG.info("{} consuming {} as group {}", name, topics, group);
        commitTimer = vertx.setPeriodic(COMMIT_EVERY_MS, id -> commit());
        purgeTimer = vertx.setPeriodic(PURGE_EVERY_MS, id -> purge());
        poll();
      })
      .onFailure(err -> {
        stopped = true;
        consumer.close();
        deadLetters.close();
      });
  }

  /**
   * Stops polling, lets records being processed finish (bounded), commits what was processed,
   * leaves the group. Records not processed are delivered again to whoever takes the partitions.
   */
  public Future<Void> stop() {
    if (stopped || !started) {
      stopped = true;
      return Future.succeededFuture();
    }
    stopped = true;
    vertx.cancelTimer(commitTimer);
    vertx.cancelTimer(purgeTimer);
    List<Future<Void>> inFlight = new ArrayList<>();
    partitions.values().forEach(s -> inFlight.add(s.current));
    long bound = settings.requestTimeoutMs() * 2;
    return Future.join(inFlight).otherwiseEmpty().timeout(bound, TimeUnit.MILLISECONDS).otherwiseEmpty()
      .compose(v -> commitInFlight.otherwiseEmpty())
      .compose(v -> {
        Map<TopicPartition, Long> offsets = new HashMap<>(pendingCommits);
        pendingCommits.clear();
        return offsets.isEmpty() ? Future.<Void>succeededFuture() : commitNow(offsets).otherwiseEmpty();
      })
      .eventually(() -> consumer.close())
      .eventually(() -> deadLetters.close(settings.requestTimeoutMs()))
      .<Void>mapEmpty()
      .otherwiseEmpty()
      .onComplete(v -> LOG.info("{} stopped", name));
  }

  /** Test hook: dies at once, as if the process were killed: no more processing, nothing more committed. */
  Future<Void> crash() {
    crashed = true;
    stopped = true;
    vertx.cancelTimer(commitTimer);
    vertx.cancelTimer(purgeTimer);
    return Future.join(consumer.close(), deadLetters.close(0)).<Void>mapEmpty().otherwiseEmpty();
  }

  /** Test hook: runs before offsets are committed to Kafka. */
  void beforeCommit(Function<Map<TopicPartition, Long>, Future<Void>> hook) {
    this.beforeCommit = Objects.requireNonNull(hook);
  }

  /** Test hook: told how each record ended. */
  void onOutcome(java.util.function.BiConsumer<KafkaConsumerRecord<String, Buffer>, Outcome> listener) {
    this.onOutcome = Objects.requireNonNull(listener);
  }

  /** Test hook: told of each failed attempt that will be retried. */
  void onRetry(java.util.function.Consumer<Throwable> listener) {
    this.onRetry = Objects.requireNonNull(listener);
  }

  /** The Kafka settings it was built with. */
  public KafkaSettings settings() {
    return settings;
  }

  /** Its {@code processed_events.consumer} name (by default its group): the {@code consumer} label of its metrics. */
  public String name() {
    return name;
  }

  /** Records received and not yet processed, in memory. */
  public int queued() {
    int n = 0;
    for (PartitionState s : partitions.values()) {
      n += s.queue.size();
    }
    return n;
  }

  /**
   * Records of the assigned partitions not yet processed by this consumer: end offsets minus the
   * next offset to process (asks the brokers for end offsets: for health and metrics, not per record).
   */
  public Future<Long> lag() {
    if (consumer == null || stopped) {
      return Future.succeededFuture(0L);
    }
    Set<TopicPartition> assigned = new HashSet<>(partitions.keySet());
    if (assigned.isEmpty()) {
      return Future.succeededFuture(0L);
    }
    return consumer.endOffsets(assigned).compose(ends -> {
      List<Future<Long>> parts = new ArrayList<>();
      for (TopicPartition tp : assigned) {
        long end = ends.getOrDefault(tp, 0L);
        PartitionState s = partitions.get(tp);
        Long next = s == null ? null : s.nextToProcess();
        Future<Long> position = next != null ? Future.succeededFuture(next) : consumer.position(tp);
        parts.add(position.map(p -> Math.max(0, end - p)));
      }
      return Future.all(parts).map(all -> {
        long sum = 0;
        for (Future<Long> f : parts) {
          sum += f.result();
        }
        return sum;
      });
    });
  }

  /**
   * Whether this consumer has partitions assigned and has processed every record in them (no
   * lag): what a timer that acts on missing events must know first, since an event it would miss
   * may still be waiting in Kafka (after a restart, before the group assigned the partitions).
   * Fails when the brokers cannot be asked.
   */
  public Future<Boolean> caughtUp() {
    if (consumer == null || stopped || partitions.isEmpty()) {
      return Future.succeededFuture(false);
    }
    return lag().map(lag -> lag == 0);
  }

  // ---- polling and dispatch (all on the owning context)

  private void poll() {
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
    Set<PartitionState> touched = new LinkedHashSet<>();
    for (int i = 0; i < records.size(); i++) {
      KafkaConsumerRecord<String, Buffer> record = records.recordAt(i);
      TopicPartition tp = new TopicPartition(record.topic(), record.partition());
      PartitionState s = partitions.computeIfAbsent(tp, PartitionState::new);
      s.queue.add(record);
      touched.add(s);
    }
    for (PartitionState s : touched) {
      if (!s.paused && s.queue.size() >= settings.consumerMaxQueued()) {
        s.paused = true;
        consumer.pause(s.tp).onFailure(err -> LOG.debug("{}: pause {} failed: {}", name, s.tp, err.toString()));
      }
      next(s);
    }
  }

  private void assigned(Set<TopicPartition> assigned) {
    for (TopicPartition tp : assigned) {
      partitions.computeIfAbsent(tp, PartitionState::new);
    }
    LOG.info("{}: assigned {}", name, assigned);
  }

  private void revoked(Set<TopicPartition> revoked) {
    for (TopicPartition tp : revoked) {
      PartitionState s = partitions.remove(tp);
      if (s != null) {
        s.revoked = true;
        s.queue.clear();
      }
      // our offset must not overwrite the one the next owner commits
      pendingCommits.remove(tp);
    }
    LOG.info("{}: revoked {}", name, revoked);
  }

  /** Processes the head of the partition's queue if nothing of that partition is in flight. */
  private void next(PartitionState s) {
    if (s.busy || s.revoked || stopped || s.queue.isEmpty()) {
      return;
    }
    s.busy = true;
    KafkaConsumerRecord<String, Buffer> record = s.queue.peek();
    Promise<Void> done = Promise.promise();
    s.current = done.future();
    attempt(s, record, 1, done);
    done.future().onComplete(ar -> {
      s.busy = false;
      if (ar.failed() || s.revoked || crashed) {
        return;
      }
      s.queue.poll();
      s.nextOffset = record.offset() + 1;
      pendingCommits.put(s.tp, s.nextOffset);
      if (stopped) {
        return; // stop() commits it
      }
      commit();
      if (s.paused && s.queue.size() <= settings.consumerMaxQueued() / 2) {
        s.paused = false;
        consumer.resume(s.tp).onFailure(err -> LOG.debug("{}: resume {} failed: {}", name, s.tp, err.toString()));
      }
      next(s);
    });
  }

  /** One attempt; on failure waits (backoff, then the slow pace) and tries again until it succeeds, or the partition or consumer goes away. */
  private void attempt(PartitionState s, KafkaConsumerRecord<String, Buffer> record, int attempt, Promise<Void> done) {
    process(record).onComplete(ar -> {
      if (ar.succeeded()) {
        onOutcome.accept(record, ar.result());
        done.complete();
        return;
      }
      if (stopped || s.revoked) {
        done.fail(ar.cause());
        return;
      }
      onRetry.accept(ar.cause());
      long delay = attempt < settings.handlerAttempts() ? backoff.delayMs(attempt) : settings.backoffCapMs();
      if (attempt == 1 || attempt == settings.handlerAttempts()) {
        LOG.warn("{}: {}-{}@{} failed (attempt {}), retrying{}: {}", name, record.topic(), record.partition(),
          record.offset(), attempt, attempt >= settings.handlerAttempts() ? " every " + delay + " ms" : "",
          ar.cause().toString());
      }
      vertx.setTimer(Math.max(1, delay), id -> attempt(s, record, attempt + 1, done));
    });
  }

  private Future<Outcome> process(KafkaConsumerRecord<String, Buffer> record) {
    EventEnvelope event;
    try {
      event = EventEnvelope.parse(record.value());
    } catch (PoisonEventException e) {
      return deadLetter(record, e.reason());
    }
    if (!event.orderId().equals(record.key())) {
      return deadLetter(record, "record key does not match orderId");
    }
    if (ignored.contains(event.type())) {
      return Future.succeededFuture(Outcome.IGNORED);
    }
    EventHandler handler = handlers.get(event.type());
    if (handler == null) {
      return deadLetter(record, "unknown event type " + event.type());
    }
    // the work is a span of the producer's trace: its queries, calls and outbox rows join it
    KafkaHeader traceparent = lastHeader(record, Outbox.TRACEPARENT);
    return Tracing.inSpan(vertx, "consume " + record.topic() + " " + event.type(), SpanKind.CONSUMER,
      traceparent == null ? null : traceparent.value().toString(),
      Map.of("messaging.system", "kafka", "messaging.destination.name", record.topic(),
        "messaging.consumer.group.name", group, "bazaar.event.type", event.type(), "bazaar.order.id", event.orderId()),
      () -> apply(record, event, handler));
  }

  private static KafkaHeader lastHeader(KafkaConsumerRecord<String, Buffer> record, String key) {
    KafkaHeader found = null;
    for (KafkaHeader header : record.headers()) {
      if (header.key().equals(key)) {
        found = header;
      }
    }
    return found;
  }

  private Future<Outcome> apply(KafkaConsumerRecord<String, Buffer> record, EventEnvelope event, EventHandler handler) {
    return pool.withTransaction(tx -> tx.preparedQuery(MARK_PROCESSED).execute(Tuple.of(name, event.eventId()))
        .compose(rows -> rows.rowCount() == 0
          ? Future.succeededFuture(Outcome.DUPLICATE)
          : handler.handle(tx, event).map(Outcome.APPLIED)))
      // a "poison" that is really the database going away is retried like any transient failure
      .recover(err -> err instanceof PoisonEventException poison && !DatabaseUnavailable.is(poison.getCause())
        ? deadLetter(record, poison.reason())
        : Future.failedFuture(err));
  }

  private Future<Outcome> deadLetter(KafkaConsumerRecord<String, Buffer> record, String reason) {
    String topic = settings.deadLetterTopic(record.topic());
    KafkaProducerRecord<String, Buffer> letter = KafkaProducerRecord.create(topic, record.key(), record.value());
    for (KafkaHeader header : record.headers()) {
      // when traced, the dead letter's traceparent is its own send's (the Kafka client adds it)
      boolean retraced = Tracing.current().isValid() && header.key().equals(Outbox.TRACEPARENT);
      if (!header.key().startsWith("dlq-") && !retraced) {
        letter.addHeader(header);
      }
    }
    letter.addHeader(DLQ_REASON, reason)
      .addHeader(DLQ_TOPIC, record.topic())
      .addHeader(DLQ_PARTITION, Integer.toString(record.partition()))
      .addHeader(DLQ_OFFSET, Long.toString(record.offset()))
      .addHeader(DLQ_CONSUMER, name);
    return deadLetters.send(letter).map(meta -> {
      LOG.warn("{}: {}-{}@{} dead-lettered to {}: {}", name, record.topic(), record.partition(), record.offset(), topic, reason);
      return Outcome.DEAD_LETTERED;
    });
  }

  // ---- offsets

  /** Commits the latest processed offsets; at most one commit in flight, the next one takes what accumulated. */
  private void commit() {
    if (committing || pendingCommits.isEmpty() || !started || crashed) {
      return;
    }
    Map<TopicPartition, Long> offsets = new HashMap<>(pendingCommits);
    pendingCommits.clear();
    committing = true;
    commitInFlight = commitNow(offsets)
      .onFailure(err -> {
        LOG.debug("{}: commit failed, will retry: {}", name, err.toString());
        offsets.forEach((tp, offset) -> {
          if (partitions.containsKey(tp)) {
            pendingCommits.merge(tp, offset, Math::max);
          }
        });
      })
      .otherwiseEmpty()
      .onComplete(v -> committing = false);
  }

  private Future<Void> commitNow(Map<TopicPartition, Long> offsets) {
    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
    offsets.forEach((tp, offset) -> commit.put(tp, new OffsetAndMetadata(offset, "")));
    return beforeCommit.apply(Map.copyOf(offsets)).compose(v -> consumer.commit(commit)).mapEmpty();
  }

  private void purge() {
    pool.preparedQuery(PURGE).execute(Tuple.of(name, settings.processedRetentionHours()))
      .onSuccess(rows -> {
        if (rows.rowCount() > 0) {
          LOG.info("{}: forgot {} processed events older than {} h", name, rows.rowCount(), settings.processedRetentionHours());
        }
      })
      .onFailure(err -> LOG.debug("{}: purge of processed_events failed: {}", name, err.toString()));
  }

  private static final class PartitionState {
    final TopicPartition tp;
    final ArrayDeque<KafkaConsumerRecord<String, Buffer>> queue = new ArrayDeque<>();
    boolean busy;
    boolean paused;
    boolean revoked;
    long nextOffset = -1;
    Future<Void> current = Future.succeededFuture();

    PartitionState(TopicPartition tp) {
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
