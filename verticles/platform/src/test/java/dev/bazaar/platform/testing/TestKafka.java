package dev.bazaar.platform.testing;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;

/**
 * The shared real Kafka broker of a test JVM ({@link KafkaBroker}), started on first use, destroyed
 * with its directory when the test JVM exits. A test that kills the broker starts its own
 * {@link KafkaBroker} instead. Needs {@code infra/target} built:
 * {@code mvn -B -DskipTests package -pl infra}.
 */
public final class TestKafka {
  private static KafkaBroker broker;

  private TestKafka() {
  }

  /** {@code 127.0.0.1:<port>} of the broker, starting it if this JVM has none yet. */
  public static synchronized String bootstrap() {
    if (broker == null) {
      broker = KafkaBroker.start();
    }
    return broker.bootstrap();
  }

  /** A plain, idempotent producer ({@code acks=all}) of string-keyed records to the broker at {@code bootstrap}, used on the test thread. */
  public static <V> KafkaProducer<String, V> producer(String bootstrap, Serializer<V> values) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("acks", "all");
    p.put("enable.idempotence", "true");
    return new KafkaProducer<>(p, new StringSerializer(), values);
  }

  /**
   * Reads every partition of {@code topic} from the beginning (a plain consumer of its own, on the
   * test thread) until {@code done} holds for what was read; fails after {@code timeout}.
   */
  public static <V> List<ConsumerRecord<String, V>> readUntil(String bootstrap, String topic, Deserializer<V> values,
                                                               Duration timeout, Predicate<List<ConsumerRecord<String, V>>> done) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("enable.auto.commit", "false");
    try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(p, new StringDeserializer(), values)) {
      long deadline = System.nanoTime() + timeout.toNanos();
      List<TopicPartition> partitions = new ArrayList<>();
      TestBed.until("topic " + topic + " has partitions", timeout, () -> {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
        if (infos != null) {
          infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
        }
        return !partitions.isEmpty();
      });
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      List<ConsumerRecord<String, V>> read = new ArrayList<>();
      while (!done.test(read)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("timed out after " + timeout + " reading " + topic + "; read " + read.size() + " records");
        }
        consumer.poll(Duration.ofMillis(100)).forEach(read::add);
      }
      return read;
    }
  }

  /** The repository root: the nearest directory at or above the working directory holding {@code infra/pom.xml}. */
  public static Path repositoryRoot() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("infra").resolve("pom.xml"))) {
        return d;
      }
    }
    throw new IllegalStateException("no directory holding infra/pom.xml at or above " + dir);
  }
}
