package dev.bazaar.platform.messaging;

import dev.bazaar.platform.testing.TestKafka;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.bazaar.platform.testing.TestBed.await;
import static dev.bazaar.platform.messaging.MessagingKit.uniqueTopic;
import static org.assertj.core.api.Assertions.assertThat;

class TopicsIT {
  static Vertx vertx;
  static String bootstrap;

  @BeforeAll
  static void start() {
    bootstrap = TestKafka.bootstrap();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      await(vertx.close());
    }
  }

  @Test
  void createsMissingTopicsOnceWhoeverAsksAndHowOften() throws Exception {
    KafkaSettings settings = MessagingKit.settings(bootstrap, new JsonObject().put("partitions", 4));
    String a = uniqueTopic("topics-a");
    String b = uniqueTopic("topics-b");
    // concurrent starts of several instances race to create the same topics
    await(Future.all(Topics.ensure(vertx, settings, a, b), Topics.ensure(vertx, settings, b, a), Topics.ensure(vertx, settings, a)));
    await(Topics.ensure(vertx, settings, a, b));
    await(Topics.ensure(vertx, settings));
    try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
      Map<String, TopicDescription> topics = admin.describeTopics(List.of(a, b)).allTopicNames().get(10, TimeUnit.SECONDS);
      assertThat(topics.get(a).partitions()).hasSize(4);
      assertThat(topics.get(b).partitions()).hasSize(4);
    }
  }

  @Test
  void anUnreachableKafkaFailsWithinTheTimeout() {
    KafkaSettings settings = MessagingKit.settings("127.0.0.1:1", new JsonObject().put("requestTimeoutMs", 1000));
    long started = System.nanoTime();
    Throwable failure = Topics.ensure(vertx, settings, "never").toCompletionStage().toCompletableFuture()
      .handle((v, err) -> err).join();
    assertThat(failure).isNotNull();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(10_000);
  }
}
