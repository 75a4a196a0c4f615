package dev.bazaar.platform.messaging;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Creates the topics a service needs, at start, with the configured partitions and replication. */
public final class Topics {
  private static final Logger LOG = LoggerFactory.getLogger(Topics.class);

  private Topics() {
  }

  /**
   * Creates those of {@code names} that do not exist yet. Idempotent: a topic that exists (or that
   * another instance creates at the same moment) is a success; an existing topic is never altered.
   * Fails if Kafka cannot be reached within {@link KafkaSettings#requestTimeoutMs()} (twice: list, create).
   */
  public static Future<Void> ensure(Vertx vertx, KafkaSettings settings, String... names) {
    return ensure(vertx, settings, Arrays.asList(names));
  }

  public static Future<Void> ensure(Vertx vertx, KafkaSettings settings, List<String> names) {
    Set<String> wanted = new LinkedHashSet<>(names);
    if (wanted.isEmpty()) {
      return Future.succeededFuture();
    }
    KafkaAdminClient admin = KafkaAdminClient.create(vertx, KafkaClients.admin(settings));
    long timeout = settings.requestTimeoutMs() + 1000;
    return admin.listTopics().timeout(timeout, TimeUnit.MILLISECONDS)
      .compose(existing -> {
        // one request per topic, so that "already exists" (another instance was faster) is a success for that topic only
        List<Future<Void>> creations = new ArrayList<>();
        for (String name : wanted) {
          if (!existing.contains(name)) {
            creations.add(admin.createTopics(List.of(new NewTopic(name, settings.partitions(), settings.replicationFactor())))
              .timeout(timeout, TimeUnit.MILLISECONDS)
              .onSuccess(v -> LOG.info("created topic {} ({} partitions)", name, settings.partitions()))
              .recover(err -> alreadyExists(err) ? Future.succeededFuture() : Future.failedFuture(err)));
          }
        }
        return Future.all(creations).<Void>mapEmpty();
      })
      .eventually(() -> admin.close(settings.requestTimeoutMs()));
  }

  private static boolean alreadyExists(Throwable err) {
    for (Throwable t = err; t != null; t = t.getCause()) {
      if (t instanceof TopicExistsException) {
        return true;
      }
    }
    return false;
  }
}
