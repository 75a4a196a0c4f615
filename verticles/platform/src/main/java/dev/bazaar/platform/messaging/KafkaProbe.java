package dev.bazaar.platform.messaging;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.admin.KafkaAdminClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Knows whether the Kafka brokers answer, without asking on the request path: in the background,
 * every {@link #PROBE_EVERY_MS}, an admin {@code describeCluster} bounded by {@link #PROBE_TIMEOUT_MS}
 * (one at a time); {@link #check()} reads the last outcome, at once. The readiness check
 * {@code kafka} of a service that publishes or consumes: DOWN within a probe of the brokers going
 * away, UP again within a probe of their return (the admin client reconnects by itself).
 */
public final class KafkaProbe {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaProbe.class);
  public static final long PROBE_EVERY_MS = 2000;
  public static final long PROBE_TIMEOUT_MS = 3000;
  /** An answer older than this no longer counts (a probe that hangs past its timeout is as good as a failure). */
  private static final long STALE_AFTER_MS = PROBE_EVERY_MS + PROBE_TIMEOUT_MS + 1000;

  private final Vertx vertx;
  private final KafkaAdminClient admin;
  private final long timer;
  private volatile long answeredAt = -1;
  private volatile String failure = "not probed yet";
  private boolean probing;
  private boolean closed;

  private KafkaProbe(Vertx vertx, KafkaSettings settings) {
    this.vertx = vertx;
    Map<String, String> config = KafkaClients.admin(settings);
    config.put("request.timeout.ms", Long.toString(PROBE_TIMEOUT_MS));
    config.put("default.api.timeout.ms", Long.toString(PROBE_TIMEOUT_MS));
    // come back within a probe of the broker's return, whatever the backoff of the other clients
    config.put("reconnect.backoff.max.ms", Long.toString(Math.min(settings.backoffCapMs(), PROBE_EVERY_MS / 2)));
    this.admin = KafkaAdminClient.create(vertx, config);
    this.timer = vertx.setPeriodic(1, PROBE_EVERY_MS, id -> probe());
  }

  /** Starts probing the brokers of {@code settings}; {@link #close()} it when the service stops. */
  public static KafkaProbe start(Vertx vertx, KafkaSettings settings) {
    return new KafkaProbe(vertx, settings);
  }

  /** The readiness check: succeeded if the brokers answered the last probe, recently; never waits. */
  public Future<Void> check() {
    long at = answeredAt;
    if (at >= 0 && System.currentTimeMillis() - at <= STALE_AFTER_MS) {
      return Future.succeededFuture();
    }
    return Future.failedFuture("Kafka unreachable: " + failure);
  }

  /** Did the brokers answer recently? */
  public boolean reachable() {
    return check().succeeded();
  }

  public Future<Void> close() {
    closed = true;
    vertx.cancelTimer(timer);
    return admin.close(PROBE_TIMEOUT_MS).otherwiseEmpty();
  }

  private void probe() {
    if (probing || closed) {
      return;
    }
    probing = true;
    admin.describeCluster()
      .timeout(PROBE_TIMEOUT_MS, TimeUnit.MILLISECONDS)
      .onComplete(ar -> {
        probing = false;
        boolean wasUp = reachable();
        if (ar.succeeded() && !ar.result().getNodes().isEmpty()) {
          answeredAt = System.currentTimeMillis();
          failure = null;
          if (!wasUp) {
            LOG.info("Kafka reachable ({} broker(s))", ar.result().getNodes().size());
          }
        } else {
          answeredAt = -1;
          failure = ar.succeeded() ? "no broker in the cluster description" : String.valueOf(ar.cause().getMessage());
          if (wasUp) {
            LOG.warn("Kafka unreachable: {}", failure);
          }
        }
      });
  }
}
