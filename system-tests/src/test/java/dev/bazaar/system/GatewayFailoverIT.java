package dev.bazaar.system;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway and two user-service instances as separate JVMs from the real jars: requests
 * balance across both; kill -9 of one loses no read and drops it from discovery within 5 s; a
 * frozen one (SIGSTOP) is routed around and rejoins after SIGCONT.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(BazaarCluster.Closing.class)
class GatewayFailoverIT {
  static BazaarCluster cluster;
  static List<ServiceProcess> users = new ArrayList<>();
  static String token;

  @BeforeAll
  static void start() throws Exception {
    cluster = new BazaarCluster().requiring("user-service");
    cluster.start("gateway");
    users.add(cluster.start("user-service"));
    users.add(cluster.start("user-service"));
    cluster.awaitReady(Duration.ofSeconds(120));
    cluster.await("two user-service instances in discovery", Duration.ofSeconds(60), () -> instances().size() == 2);
    token = cluster.newCustomer("failover");
  }

  @Test
  @Order(1)
  void requestsBalanceAcrossBothInstances() throws Exception {
    List<JsonObject> before = instances();
    Map<Integer, Double> counts = new ConcurrentHashMap<>();
    for (JsonObject instance : before) {
      counts.put(instance.getInteger("port"), meRequests(instance.getInteger("port")));
    }
    for (int i = 0; i < 40; i++) {
      assertThat(cluster.get("/api/v1/users/me", token).statusCode()).isEqualTo(200);
    }
    for (JsonObject instance : before) {
      int port = instance.getInteger("port");
      assertThat(meRequests(port) - counts.get(port)).as("requests served by %s", port).isGreaterThanOrEqualTo(10);
    }
  }

  @Test
  @Order(2)
  void killHardLosesNoReadAndLeavesDiscoveryWithinFiveSeconds() throws Exception {
    ServiceProcess victim = users.get(0);
    try (Readers readers = new Readers(2)) {
      readers.awaitSome(20);
      victim.killHard();
      long killedAt = System.nanoTime();
      cluster.await("killed instance gone from discovery", Duration.ofSeconds(5), () -> byPid(victim.pid()).isEmpty());
      long goneMs = (System.nanoTime() - killedAt) / 1_000_000;
      System.out.println("kill -9: instance left discovery after " + goneMs + " ms");
      readers.awaitSome(readers.count() + 40);
      assertThat(readers.failures()).as("failed reads").isEmpty();
    }
  }

  @Test
  @Order(3)
  void aFrozenInstanceIsRoutedAroundAndRejoinsWhenThawed() throws Exception {
    users.add(cluster.start("user-service"));
    cluster.await("two user-service instances again", Duration.ofSeconds(60), () -> instances().size() == 2);
    ServiceProcess frozen = users.get(1);
    try (Readers readers = new Readers(4)) {
      readers.awaitSome(20);
      frozen.freeze();
      long frozenAt = System.nanoTime();
      cluster.await("frozen instance's breaker open or instance evicted", Duration.ofSeconds(10),
        () -> byPid(frozen.pid()).map(i -> "OPEN".equals(i.getString("breaker"))).orElse(true));
      System.out.println("SIGSTOP: routed around after " + (System.nanoTime() - frozenAt) / 1_000_000 + " ms");
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10) - (System.nanoTime() - frozenAt);
      cluster.await("10 s of freeze", Duration.ofSeconds(11), () -> System.nanoTime() >= until);
      frozen.thaw();
      assertThat(readers.failures()).as("failed reads while frozen").isEmpty();
    }
    long thawedAt = System.nanoTime();
    cluster.await("thawed instance back in discovery and healthy", Duration.ofSeconds(60),
      () -> byPid(frozen.pid()).map(i -> "UP".equals(i.getString("health"))).orElse(false));
    System.out.println("SIGCONT: back in discovery after " + (System.nanoTime() - thawedAt) / 1_000_000 + " ms");
    int port = byPid(frozen.pid()).orElseThrow().getInteger("port");
    double before = meRequests(port);
    cluster.await("thawed instance serves again", Duration.ofSeconds(30), () -> {
      try {
        cluster.get("/api/v1/users/me", token);
        return meRequests(port) > before;
      } catch (Exception e) {
        return false;
      }
    });
  }

  /** Readers that GET /me in a loop (bounded: 60 s and 10 000 requests each) and record every failure. */
  static final class Readers implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();

    Readers(int count) {
      for (int t = 0; t < count; t++) {
        Thread thread = new Thread(() -> {
          long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
          for (int i = 0; i < 10_000 && running.get() && System.nanoTime() < end; i++) {
            try {
              HttpResponse<String> response = cluster.get("/api/v1/users/me", token);
              if (response.statusCode() != 200) {
                failures.add(response.statusCode() + " " + response.body());
              }
            } catch (IOException e) {
              failures.add(e.toString());
            } catch (InterruptedException e) {
              return;
            }
            done.incrementAndGet();
          }
        });
        thread.start();
        threads.add(thread);
      }
    }

    int count() {
      return done.get();
    }

    void awaitSome(int atLeast) {
      cluster.await(atLeast + " reads", Duration.ofSeconds(30), () -> done.get() >= atLeast);
    }

    List<String> failures() {
      return List.copyOf(failures);
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      for (Thread thread : threads) {
        thread.join(20_000);
      }
    }
  }

  static String adminToken;

  /** user-service instances as the gateway's admin view shows them now. */
  static List<JsonObject> instances() {
    try {
      if (adminToken == null) {
        adminToken = cluster.adminToken();
      }
      HttpResponse<String> response = cluster.get("/api/v1/admin/services", adminToken);
      if (response.statusCode() != 200) {
        return List.of();
      }
      JsonArray services = new JsonObject(response.body()).getJsonArray("services");
      List<JsonObject> result = new ArrayList<>();
      for (int i = 0; i < services.size(); i++) {
        JsonObject service = services.getJsonObject(i);
        if ("user-service".equals(service.getString("name"))) {
          service.getJsonArray("instances").forEach(instance -> result.add((JsonObject) instance));
        }
      }
      return result;
    } catch (Exception e) {
      return List.of();
    }
  }

  static Optional<JsonObject> byPid(long pid) {
    return instances().stream().filter(i -> i.getLong("pid") == pid).findFirst();
  }

  /** How many GET /api/v1/users/me an instance has served, from its own /metrics. */
  static double meRequests(int port) throws Exception {
    String metrics = cluster.getDirect(port, "/metrics").body();
    return metrics.lines()
      .filter(line -> line.startsWith("vertx_http_server_requests_total{") && line.contains("route=\"/api/v1/users/me\""))
      .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
      .sum();
  }
}
