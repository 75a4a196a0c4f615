package dev.bazaar.platform.boot;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.junit5.VertxTestContext;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Hazelcast and the clustered event bus listen on the configured interface only (DESIGN §2): a
 * member bound to 127.0.0.1 answers there and refuses 127.0.0.2, which a socket bound to every
 * interface would accept. Uses the real cluster.xml, as every service JVM does.
 */
class ClusterBindIT {
  private static Vertx vertx;

  @BeforeAll
  static void join() throws Throwable {
    ClusterSettings settings = new ClusterSettings(Path.of("../../cluster-config/cluster.xml"), "bind-test-" + UUID.randomUUID(),
      ThreadLocalRandom.current().nextInt(20000, 32000), 3, "127.0.0.1", "127.0.0.1", "default", "none");
    VertxTestContext started = new VertxTestContext();
    BazaarApplication.clusteredOn(settings, new VertxOptions()).buildClustered()
      .onComplete(started.succeeding(joined -> {
        vertx = joined;
        started.completeNow();
      }));
    assertThat(started.awaitCompletion(60, TimeUnit.SECONDS)).as("joined within 60 s").isTrue();
    if (started.failed()) {
      throw started.causeOfFailure();
    }
  }

  @AfterAll
  static void leave() throws InterruptedException {
    if (vertx != null) {
      VertxTestContext closed = new VertxTestContext();
      vertx.close().onComplete(closed.succeedingThenComplete());
      closed.awaitCompletion(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void hazelcastListensOnTheConfiguredInterfaceOnly() {
    HazelcastInstance hazelcast = ((HazelcastClusterManager) ((VertxInternal) vertx).clusterManager()).getHazelcastInstance();
    int port = hazelcast.getCluster().getLocalMember().getAddress().getPort();
    assertListensOnLoopbackOnly(port);
  }

  @Test
  void theEventBusListensOnTheConfiguredInterfaceOnly() {
    int port = ((VertxInternal) vertx).clusterManager().getNodeInfo().port();
    assertThat(((VertxInternal) vertx).clusterManager().getNodeInfo().host()).isEqualTo("127.0.0.1");
    assertListensOnLoopbackOnly(port);
  }

  private static void assertListensOnLoopbackOnly(int port) {
    assertThat(port).isPositive();
    assertThat(connects("127.0.0.1", port)).as("listening on 127.0.0.1:%d", port).isTrue();
    assertThatThrownBy(() -> connect("127.0.0.2", port)).as("127.0.0.2:%d must be refused", port).isInstanceOf(ConnectException.class);
  }

  private static boolean connects(String host, int port) {
    try {
      connect(host, port);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void connect(String host, int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 2000);
    }
  }
}
