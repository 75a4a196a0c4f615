package dev.bazaar.system;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A member starved past Hazelcast's failure detector (SIGSTOP for longer than the 20 s without
 * heartbeats), dropped, thawed, merged back with a new member UUID: the cluster must be whole again
 * by itself, and soon. "Whole": the gateway is ready, every service is in its view with the
 * thawed JVM's pid, and every service instance is ready, which includes its "grid" check (its
 * partition table agrees with the member list: no grid operation fails with "Not Member!").
 * <p>
 * Before {@code GridWatchdog}, a JVM could keep a stale partition table after such a merge and fail
 * every grid operation for minutes, with services missing from the gateway's view. The test prints
 * how long the cluster took; it must be at most {@value #WHOLE_WITHIN_S} s after the SIGCONT. It
 * freezes a plain member first, then the master (the oldest member, here the gateway), whose
 * successor has to rebuild the partition table.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(BazaarCluster.Closing.class)
class MemberMergeIT {
  private static final String[] SERVICES = {"user-service", "product-service", "inventory-service"};
  private static final Duration FREEZE = Duration.ofSeconds(26);
  private static final long WHOLE_WITHIN_S = 30;
  static BazaarCluster cluster;
  static ServiceProcess gateway;
  static ServiceProcess products;
  static String admin;

  @BeforeAll
  static void start() throws Exception {
    cluster = new BazaarCluster().requiring(SERVICES);
    gateway = cluster.start("gateway");
    cluster.start("user-service");
    products = cluster.start("product-service");
    cluster.start("inventory-service");
    cluster.awaitReady(Duration.ofSeconds(180));
    admin = cluster.adminToken();
    cluster.await("the cluster whole", Duration.ofSeconds(60), () -> whole(null));
  }

  @Test
  @Order(1)
  void aMemberDroppedAndMergedBackIsWholeAgainSoon() throws Exception {
    freezeThawAndMeasure(products, products.pid());
  }

  @Test
  @Order(2)
  void theMasterDroppedAndMergedBackIsWholeAgainSoon() throws Exception {
    freezeThawAndMeasure(gateway, null);
  }

  private static void freezeThawAndMeasure(ServiceProcess frozen, Long pidInView) throws Exception {
    long logBefore = Files.size(frozen.log());
    frozen.freeze();
    long frozenAt = System.nanoTime();
    cluster.await("the freeze outlasting the failure detector", FREEZE.plusSeconds(5), () -> System.nanoTime() - frozenAt >= FREEZE.toNanos());
    frozen.thaw();
    long thawedAt = System.nanoTime();
    cluster.await(frozen.name() + " merged back after it was dropped", Duration.ofSeconds(90), () -> logSince(frozen, logBefore).contains("We should merge to"));
    double mergedS = (System.nanoTime() - thawedAt) / 1e9;
    cluster.await("the cluster whole after the merge", Duration.ofSeconds(120), () -> whole(pidInView));
    double wholeS = (System.nanoTime() - thawedAt) / 1e9;
    System.out.printf("MemberMergeIT %s frozen %d s: merge began %.1f s after SIGCONT, cluster whole %.1f s after SIGCONT%n",
      frozen.name(), FREEZE.toSeconds(), mergedS, wholeS);
    assertThat(frozen.alive()).as("the thawed JVM (no restart needed when nothing wedged)").isTrue();
    assertThat(wholeS).as("seconds from SIGCONT until the cluster is whole").isLessThanOrEqualTo(WHOLE_WITHIN_S);
  }

  private static String logSince(ServiceProcess process, long offset) {
    try {
      byte[] all = Files.readAllBytes(process.log());
      return new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** Gateway ready; every service in its view (with {@code pid} among the instances, when given); every instance ready. */
  private static boolean whole(Long pid) {
    try {
      if (cluster.get("/health/ready", null).statusCode() != 200) {
        return false;
      }
      JsonObject view = new JsonObject(cluster.get("/api/v1/admin/services", admin).body());
      List<Integer> ports = new ArrayList<>();
      List<Long> pids = new ArrayList<>();
      int services = 0;
      for (Object entry : view.getJsonArray("services")) {
        JsonObject service = (JsonObject) entry;
        if (List.of(SERVICES).contains(service.getString("name")) && !service.getJsonArray("instances").isEmpty()) {
          services++;
        }
        service.getJsonArray("instances").forEach(i -> {
          ports.add(((JsonObject) i).getInteger("port"));
          pids.add(((JsonObject) i).getLong("pid"));
        });
      }
      if (services < SERVICES.length || (pid != null && !pids.contains(pid))) {
        return false;
      }
      for (int port : ports) {
        if (cluster.getDirect(port, "/health/ready").statusCode() != 200) {
          return false;
        }
      }
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
