package dev.bazaar.platform.messaging;

import dev.bazaar.platform.events.EventCodec;
import dev.bazaar.platform.events.Received;
import dev.bazaar.platform.events.SagaEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Consumes a service's topics so that each event's effect happens once, even when Kafka delivers it
 * twice (a producer's retry, an outbox relay that crashed before marking, a rebalance, a restart).
 *
 * <p>For every record, in order within its partition (partitions run concurrently, {@link PartitionQueues};
 * what a partition has queued is applied as a batch in one transaction, see {@link EventApplier#processBatch},
 * falling back to the steps below one record at a time when anything in the batch is not plain):
 * <ol>
 *   <li>the value is parsed as an {@link EventEnvelope}; a record that is not one, whose key is not
 *       its order id, or whose type this consumer does not know goes to the dead-letter topic
 *       {@code <topic><deadLetterSuffix>} ({@link DeadLetters}) and consumption goes on;</li>
 *   <li>types declared with {@link Builder#ignore} are skipped;</li>
 *   <li>otherwise, in ONE database transaction: {@code INSERT INTO processed_events ... ON CONFLICT
 *       DO NOTHING}; if the event id was already there the handler is not called (a duplicate
 *       changes nothing), else the handler runs on the same connection ({@link EventApplier});</li>
 *   <li>the record's offset is committed to Kafka only after that transaction committed
 *       ({@link OffsetCommits}: every second and at stop, coalesced, at most one commit in flight;
 *       what a crash leaves uncommitted is delivered again and found in {@code processed_events}).</li>
 * </ol>
 * A handler that fails (database down, a dependency unavailable) is retried ({@link Retrying}):
 * the partition waits, nothing is committed past an unprocessed record. A handler that knows the
 * event can never be applied (malformed payload) fails with {@link PoisonEventException}: the
 * transaction rolls back and the record is dead-lettered. A business rejection is not a failure: the
 * handler stores and emits (through the {@link Outbox}, same transaction) whatever answers it.
 *
 * <p>Bounded: {@link KafkaSettings#consumerMaxQueued()} records in memory per partition, {@code
 * max.poll.records} per poll. Manual commits, {@code auto.offset.reset=earliest}, cooperative-sticky
 * assignment. Rows of {@code processed_events} (a platform table, see {@code db/migration/bazaar_messaging})
 * older than {@link KafkaSettings#processedRetentionHours()} are deleted every 10 minutes (keep that
 * longer than the topics' retention).
 *
 * <p>Create and start it on the verticle that owns it; {@link #start()} creates the topics and their
 * dead-letter topics if missing (so it fails if Kafka cannot be reached), then subscribes.
 */
public final class IdempotentConsumer {
  private static final Logger LOG = LoggerFactory.getLogger(IdempotentConsumer.class);
  /** Dead-letter record headers: why, and where the record came from. */
  public static final String DLQ_REASON = "dlq-reason";
  public static final String DLQ_TOPIC = "dlq-topic";
  public static final String DLQ_PARTITION = "dlq-partition";
  public static final String DLQ_OFFSET = "dlq-offset";
  public static final String DLQ_CONSUMER = "dlq-consumer";

  private static final long COMMIT_EVERY_MS = 1000;
  private static final long PURGE_EVERY_MS = 10 * 60_000L;

  /** What a service does with one event, inside the transaction that also records it as processed. */
  @FunctionalInterface
  public interface EventHandler {
    Future<Void> handle(SqlConnection tx, EventEnvelope event);
  }

  /** How a record ended: for tests and metrics. */
  enum Outcome { APPLIED, DUPLICATE, IGNORED, DEAD_LETTERED }

  private final Vertx vertx;
  private final KafkaSettings settings;
  private final String group;
  private final String name;
  private final List<String> topics;
  private final Pool pool;
  private final Map<String, EventHandler> handlers;
  private final Set<String> ignored;
  private final Retrying retrying;
  // made by start(), on the owning context (the Kafka clients run their callbacks on the context that made them)
  private KafkaConsumer<String, Buffer> consumer;
  private DeadLetters deadLetters;
  private PartitionQueues partitions;
  private OffsetCommits offsets;
  private EventApplier applier;
  private Function<Map<TopicPartition, Long>, Future<Void>> beforeCommit = offsets -> Future.succeededFuture();
  private BiConsumer<KafkaConsumerRecord<String, Buffer>, Outcome> onOutcome = (record, outcome) -> { };
  private boolean started;
  private boolean stopped;
  private long commitTimer = -1;
  private long purgeTimer = -1;

  private IdempotentConsumer(Builder builder) {
    this.vertx = builder.vertx;
    this.settings = builder.settings;
    this.group = builder.group;
    this.name = builder.name;
    this.topics = List.copyOf(builder.topics);
    this.pool = builder.pool;
    this.handlers = Map.copyOf(builder.handlers);
    this.ignored = Set.copyOf(builder.ignored);
    this.retrying = new Retrying(vertx, settings, name);
  }

  private void create() {
    consumer = KafkaConsumer.create(vertx, KafkaClients.consumer(settings, group, "consumer"));
    consumer.exceptionHandler(err -> LOG.warn("{}: consumer error: {}", name, err.toString()));
    deadLetters = new DeadLetters(vertx, settings, name);
    applier = new EventApplier(vertx, pool, name, group, handlers, ignored, deadLetters);
    partitions = new PartitionQueues(vertx, consumer, settings, name, (batch, givenUp) -> batch.size() == 1
      ? oneByOne(batch, givenUp)
      : applier.processBatch(batch).recover(err -> {
        if (!(err instanceof EventApplier.NotBatchable)) {
          LOG.debug("{}: a batch of {} failed, taking its records one at a time: {}", name, batch.size(), err.toString());
        }
        return oneByOne(batch, givenUp);
      }));
    partitions.onOutcome((record, outcome) -> onOutcome.accept(record, outcome));
    offsets = new OffsetCommits(consumer, name, partitions::owns);
    offsets.beforeCommit(offsets -> beforeCommit.apply(offsets));
    partitions.offsets(offsets);
  }

  /** Each record on its own, in order, each retried until done ({@link Retrying}). */
  private Future<List<Outcome>> oneByOne(List<KafkaConsumerRecord<String, Buffer>> batch, BooleanSupplier givenUp) {
    List<Outcome> outcomes = new ArrayList<>(batch.size());
    Future<Void> chain = Future.succeededFuture();
    for (KafkaConsumerRecord<String, Buffer> record : batch) {
      chain = chain.compose(v -> retrying.untilDone(() -> applier.process(record), givenUp,
        record.topic() + "-" + record.partition() + "@" + record.offset()).map(outcome -> {
          outcomes.add(outcome);
          return null;
        }));
    }
    return chain.map(outcomes);
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

    /**
     * Saga events of {@code type} are applied by {@code handler}, which receives them decoded
     * ({@link EventCodec#read}); one that does not decode is dead-lettered. Subscribes to its topic.
     */
    public <E extends SagaEvent> Builder on(Class<E> type, Received.Handler<E> handler) {
      Objects.requireNonNull(handler);
      topics.add(EventCodec.topic(type));
      return on(EventCodec.type(type), (tx, event) -> handler.handle(tx, EventCodec.read(event, type)));
    }

    /** Known types this consumer has nothing to do with: skipped (and committed), not dead-lettered. */
    public Builder ignore(String... types) {
      ignored.addAll(List.of(types));
      return this;
    }

    /** Saga event types this consumer has nothing to do with (on the topics it consumes for others). */
    @SafeVarargs
    public final Builder ignore(Class<? extends SagaEvent>... types) {
      for (Class<? extends SagaEvent> type : types) {
        ignored.add(EventCodec.type(type));
      }
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
    create();
    List<String> all = new ArrayList<>(topics);
    topics.forEach(t -> all.add(settings.deadLetterTopic(t)));
    return Topics.ensure(vertx, settings, all)
      .compose(v -> consumer.subscribe(new LinkedHashSet<>(topics)))
      .onSuccess(v -> {
        LOG.info("{} consuming {} as group {}", name, topics, group);
        commitTimer = vertx.setPeriodic(COMMIT_EVERY_MS, id -> offsets.commit());
        purgeTimer = vertx.setPeriodic(PURGE_EVERY_MS, id -> applier.purge(settings.processedRetentionHours()));
        partitions.poll();
      })
      .onFailure(err -> {
        stopped = true;
        partitions.stop(false);
        consumer.close();
        deadLetters.close(0);
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
    partitions.stop(false);
    vertx.cancelTimer(commitTimer);
    vertx.cancelTimer(purgeTimer);
    long bound = settings.requestTimeoutMs() * 2;
    return Future.join(partitions.inFlight()).otherwiseEmpty().timeout(bound, TimeUnit.MILLISECONDS).otherwiseEmpty()
      .compose(v -> offsets.flush())
      .eventually(() -> consumer.close())
      .eventually(() -> deadLetters.close(settings.requestTimeoutMs()))
      .<Void>mapEmpty()
      .otherwiseEmpty()
      .onComplete(v -> LOG.info("{} stopped", name));
  }

  /** Test hook: dies at once, as if the process were killed: no more processing, nothing more committed. */
  Future<Void> crash() {
    stopped = true;
    partitions.stop(true);
    offsets.halt();
    vertx.cancelTimer(commitTimer);
    vertx.cancelTimer(purgeTimer);
    return Future.join(consumer.close(), deadLetters.close(0)).<Void>mapEmpty().otherwiseEmpty();
  }

  /** Test hook: runs before offsets are committed to Kafka. */
  void beforeCommit(Function<Map<TopicPartition, Long>, Future<Void>> hook) {
    this.beforeCommit = Objects.requireNonNull(hook);
  }

  /** Test and metrics hook: told how each record ended. */
  void onOutcome(BiConsumer<KafkaConsumerRecord<String, Buffer>, Outcome> listener) {
    this.onOutcome = Objects.requireNonNull(listener);
  }

  /** Test and metrics hook: told of each failed attempt that will be retried. */
  void onRetry(Consumer<Throwable> listener) {
    retrying.onRetry(listener);
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
    return partitions == null ? 0 : partitions.queued();
  }

  /**
   * Records of the assigned partitions not yet processed by this consumer: end offsets minus the
   * next offset to process (asks the brokers for end offsets: for health and metrics, not per record).
   */
  public Future<Long> lag() {
    if (!started || stopped) {
      return Future.succeededFuture(0L);
    }
    Set<TopicPartition> assigned = partitions.assignment();
    if (assigned.isEmpty()) {
      return Future.succeededFuture(0L);
    }
    return consumer.endOffsets(assigned).compose(ends -> {
      List<Future<Long>> parts = new ArrayList<>();
      for (TopicPartition tp : assigned) {
        long end = ends.getOrDefault(tp, 0L);
        Long next = partitions.nextToProcess(tp);
        Future<Long> position = next != null ? Future.succeededFuture(next) : consumer.position(tp);
        parts.add(position.map(p -> Math.max(0, end - p)));
      }
      return Future.all(parts).map(all -> parts.stream().mapToLong(Future::result).sum());
    });
  }

  /**
   * Whether this consumer has partitions assigned and has processed every record in them (no
   * lag): what a timer that acts on missing events must know first, since an event it would miss
   * may still be waiting in Kafka (after a restart, before the group assigned the partitions).
   * Fails when the brokers cannot be asked.
   */
  public Future<Boolean> caughtUp() {
    if (!started || stopped || partitions.assignment().isEmpty()) {
      return Future.succeededFuture(false);
    }
    return lag().map(lag -> lag == 0);
  }
}
