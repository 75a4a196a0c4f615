package dev.bazaar.platform.messaging;

import dev.bazaar.platform.tracing.Tracing;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaHeader;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where an {@link IdempotentConsumer} sends a record it can never process: to
 * {@code <topic><deadLetterSuffix>}, with the original key, value and headers, plus why and where
 * it came from ({@link IdempotentConsumer#DLQ_REASON} and the other {@code dlq-} headers).
 */
final class DeadLetters {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

  private final KafkaSettings settings;
  private final String consumer;
  private final KafkaProducer<String, Buffer> producer;

  DeadLetters(Vertx vertx, KafkaSettings settings, String consumer) {
    this.settings = settings;
    this.consumer = consumer;
    this.producer = KafkaProducer.create(vertx, KafkaClients.producer(settings, "dlq"));
    producer.exceptionHandler(err -> LOG.debug("{}: dead-letter producer error: {}", consumer, err.toString()));
  }

  Future<IdempotentConsumer.Outcome> send(KafkaConsumerRecord<String, Buffer> record, String reason) {
    String topic = settings.deadLetterTopic(record.topic());
    KafkaProducerRecord<String, Buffer> letter = KafkaProducerRecord.create(topic, record.key(), record.value());
    for (KafkaHeader header : record.headers()) {
      // when traced, the dead letter's traceparent is its own send's (the Kafka client adds it)
      boolean retraced = Tracing.current().isValid() && header.key().equals(Outbox.TRACEPARENT);
      if (!header.key().startsWith("dlq-") && !retraced) {
        letter.addHeader(header);
      }
    }
    letter.addHeader(IdempotentConsumer.DLQ_REASON, reason)
      .addHeader(IdempotentConsumer.DLQ_TOPIC, record.topic())
      .addHeader(IdempotentConsumer.DLQ_PARTITION, Integer.toString(record.partition()))
      .addHeader(IdempotentConsumer.DLQ_OFFSET, Long.toString(record.offset()))
      .addHeader(IdempotentConsumer.DLQ_CONSUMER, consumer);
    return producer.send(letter).map(meta -> {
      LOG.warn("{}: {}-{}@{} dead-lettered to {}: {}", consumer, record.topic(), record.partition(), record.offset(), topic, reason);
      return IdempotentConsumer.Outcome.DEAD_LETTERED;
    });
  }

  /** Closes the producer, waiting up to {@code timeoutMs} for sends in flight. */
  Future<Void> close(long timeoutMs) {
    return producer.close(timeoutMs);
  }
}
