package dev.bazaar.platform.messaging;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The offsets of an {@link IdempotentConsumer}, committed to Kafka only after the records' transactions
 * committed, coalesced: at most one commit in flight, the next one takes the latest processed offset of
 * every partition that accumulated meanwhile. A failed commit is retried with the next one.
 */
final class OffsetCommits {
  private static final Logger LOG = LoggerFactory.getLogger(OffsetCommits.class);

  private final KafkaConsumer<String, Buffer> consumer;
  private final String name;
  private final Predicate<TopicPartition> owned;
  private final Map<TopicPartition, Long> pending = new HashMap<>();
  private boolean committing;
  private boolean halted;
  private Future<Void> inFlight = Future.succeededFuture();
  private Function<Map<TopicPartition, Long>, Future<Void>> beforeCommit = offsets -> Future.succeededFuture();

  /** {@code owned}: whether a partition is still assigned (a failed commit is retried for those only). */
  OffsetCommits(KafkaConsumer<String, Buffer> consumer, String name, Predicate<TopicPartition> owned) {
    this.consumer = consumer;
    this.name = name;
    this.owned = owned;
  }

  /** Test hook: runs before offsets are committed to Kafka. */
  void beforeCommit(Function<Map<TopicPartition, Long>, Future<Void>> hook) {
    this.beforeCommit = Objects.requireNonNull(hook);
  }

  /** Every record of {@code tp} before {@code next} is processed. */
  void processed(TopicPartition tp, long next) {
    pending.put(tp, next);
  }

  /** {@code tp} went to another member: our offset must not overwrite the one the next owner commits. */
  void revoked(TopicPartition tp) {
    pending.remove(tp);
  }

  /** Nothing more is committed (the process "died"). */
  void halt() {
    halted = true;
  }

  /** Commits the latest processed offsets unless a commit is in flight (then the next one takes them). */
  void commit() {
    if (committing || pending.isEmpty() || halted) {
      return;
    }
    Map<TopicPartition, Long> offsets = new HashMap<>(pending);
    pending.clear();
    committing = true;
    inFlight = commitNow(offsets)
      .onFailure(err -> {
        LOG.debug("{}: commit failed, will retry: {}", name, err.toString());
        offsets.forEach((tp, offset) -> {
          if (owned.test(tp)) {
            pending.merge(tp, offset, Math::max);
          }
        });
      })
      .otherwiseEmpty()
      .onComplete(v -> committing = false);
  }

  /** Waits for the commit in flight, then commits what is left (at stop); never fails. */
  Future<Void> flush() {
    return inFlight.otherwiseEmpty().compose(v -> {
      Map<TopicPartition, Long> offsets = new HashMap<>(pending);
      pending.clear();
      return offsets.isEmpty() ? Future.<Void>succeededFuture() : commitNow(offsets).otherwiseEmpty();
    });
  }

  private Future<Void> commitNow(Map<TopicPartition, Long> offsets) {
    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
    offsets.forEach((tp, offset) -> commit.put(tp, new OffsetAndMetadata(offset, "")));
    return beforeCommit.apply(Map.copyOf(offsets)).compose(v -> consumer.commit(commit)).mapEmpty();
  }
}
