package dev.bazaar.platform.discovery;

import com.hazelcast.cluster.ClusterState;
import com.hazelcast.core.HazelcastInstance;
import dev.bazaar.platform.boot.ClusterSettings;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.junit5.VertxTestContext;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The watchdog on a real two-member cluster (the real cluster.xml) whose partition table is made
 * to name a member that is gone: the cluster is FROZEN (Hazelcast then keeps a member that leaves
 * in the partition table, as a stale table after a merge does), and the second member is
 * terminated. The first member's grid operations on those partitions fail with "Not Member!";
 * the watchdog must report it in readiness, then liveness, and call for healing once; when the
 * table is repaired (the cluster ACTIVE again), readiness and liveness recover.
 */
class GridWatchdogIT {
  private final List<Vertx> members = new CopyOnWriteArrayList<>();

  @AfterEach
  void leave() throws InterruptedException {
    for (Vertx vertx : members) {
      VertxTestContext closed = new VertxTestContext();
      vertx.close().onComplete(closed.succeedingThenComplete());
      closed.awaitCompletion(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aPartitionTableNamingAGoneMemberIsReportedAndHealedOnce() throws Exception {
    String cluster = "watchdog-test-" + UUID.randomUUID();
    int port = ThreadLocalRandom.current().nextInt(20000, 32000);
    Vertx first = join(cluster, port);
    Vertx second = join(cluster, port);
    ClusterMembership membership = ClusterMembership.of(first);
    HazelcastInstance hazelcast = membership.hazelcast();
    hazelcast.getMap("watchdog-test").put("k", "v");   // partitions assigned
    List<String> heals = new CopyOnWriteArrayList<>();
    GridWatchdog watchdog = GridWatchdog.start(first, membership, Duration.ofSeconds(4), heals::add);

    await("a healthy table").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(20))
      .until(() -> watchdog.readiness().succeeded() && watchdog.liveness().succeeded());

    hazelcast.getCluster().changeClusterState(ClusterState.FROZEN);
    hazelcast(second).getLifecycleService().terminate();
    members.remove(second);
    second.close();

    await("readiness reports the stale table").atMost(Duration.ofSeconds(30)).until(() -> watchdog.readiness().failed());
    assertThat(watchdog.readiness().cause()).hasMessageContaining("owned by members that are gone");
    await("liveness fails and healing is called for").atMost(Duration.ofSeconds(30))
      .until(() -> watchdog.liveness().failed() && !heals.isEmpty());
    assertThat(heals).singleElement().asString().contains("grid wedged");
    assertThat(first.<Integer>executeBlocking(() -> {
      try {
        hazelcast.getMap("watchdog-test").size();
        return 0;
      } catch (RuntimeException e) {
        return 1;
      }
    }).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS)).as("a grid operation fails meanwhile").isEqualTo(1);

    hazelcast.getCluster().changeClusterState(ClusterState.ACTIVE);
    await("the repaired table").atMost(Duration.ofSeconds(30))
      .until(() -> watchdog.readiness().succeeded() && watchdog.liveness().succeeded());
    assertThat(heals).as("healing is called for once").hasSize(1);
    watchdog.close();
  }

  private Vertx join(String cluster, int port) {
    ClusterSettings settings = new ClusterSettings(Path.of("../../cluster-config/cluster.xml"), cluster, port, 3,
      "127.0.0.1", "127.0.0.1", "default", "none");
    VertxOptions options = new VertxOptions();
    options.getEventBusOptions().setHost("127.0.0.1").setClusterPublicHost("127.0.0.1");
    VertxTestContext joined = new VertxTestContext();
    List<Vertx> result = new CopyOnWriteArrayList<>();
    Vertx.builder().with(options).withClusterManager(settings.clusterManager()).buildClustered()
      .onComplete(joined.succeeding(vertx -> {
        result.add(vertx);
        members.add(vertx);
        joined.completeNow();
      }));
    try {
      assertThat(joined.awaitCompletion(60, TimeUnit.SECONDS)).as("joined within 60 s").isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    assertThat(joined.failed()).as("join failed: %s", joined.causeOfFailure()).isFalse();
    return result.get(0);
  }

  private static HazelcastInstance hazelcast(Vertx vertx) {
    return ((HazelcastClusterManager) ((VertxInternal) vertx).clusterManager()).getHazelcastInstance();
  }
}
