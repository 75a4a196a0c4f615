package dev.bazaar.system;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults of one member of a real cluster (gateway, two user-service instances, product- and
 * inventory-service, each its own JVM) under a steady read load through the gateway:
 * <ul>
 *   <li>a 15 s freeze (SIGSTOP) of one of the two user-service instances, repeated: no read fails
 *       or hangs past its budget, and no other service ever leaves discovery;</li>
 *   <li>freeze past Hazelcast's failure detector (so the member is dropped and merges back when
 *       thawed), thaw, kill -9 during the merge, start a new instance: the cluster is whole again
 *       (the new instance is discovered, reads succeed again, no other service ever left
 *       discovery, readiness never fell). Reads may fail while the new JVM starts on the two
 *       shared cores (the remaining instance's breaker opens on timeouts); they are counted.</li>
 * </ul>
 * Before discovery stopped waiting on the grid, this sequence could wedge every JVM's workers in
 * Hazelcast queries for minutes and make running services vanish from the gateway's view.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(BazaarCluster.Closing.class)
class ClusterFaultsIT {
  private static final Set<String> SERVICES = Set.of("user-service", "product-service", "inventory-service");
  /** No read may take longer: the gateway's budget (per-attempt timeout, retries) with room for a busy machine. */
  private static final long READ_BUDGET_MS = 6000;
  static BazaarCluster cluster;
  static final List<ServiceProcess> users = new ArrayList<>();
  static String token;
  static String admin;

  @BeforeAll
  static void start() throws Exception {
    cluster = new BazaarCluster().requiring(SERVICES.toArray(String[]::new));
    cluster.start("gateway");
    users.add(cluster.start("user-service"));
    users.add(cluster.start("user-service"));
    cluster.start("product-service");
    cluster.start("inventory-service");
    cluster.awaitReady(Duration.ofSeconds(180));
    admin = cluster.adminToken();
    cluster.await("two user-service instances in discovery", Duration.ofSeconds(60), () -> count(view(), "user-service") == 2);
    token = cluster.newCustomer("faults");
  }

  @RepeatedTest(3)
  @Order(1)
  void aFifteenSecondFreezeOfOneOfTwoInstancesCostsNoReadAndRemovesNoOtherService() throws Exception {
    ServiceProcess frozen = users.get(users.size() - 1);
    try (Watch watch = new Watch(); PacedReads reads = new PacedReads(80, Duration.ofSeconds(90))) {
      reads.awaitCount(80);
      frozen.freeze();
      hold(Duration.ofSeconds(15));
      frozen.thaw();
      cluster.await("thawed instance back in discovery", Duration.ofSeconds(30), () -> pids(view(), "user-service").contains(frozen.pid()));
      reads.awaitCount(reads.count() + 80);
      reads.close();
      watch.close();
      System.out.printf("15 s freeze: %d reads, slowest %d ms, discovery samples %d%n", reads.count(), reads.slowestMs(), watch.samples());
      assertThat(reads.failures()).as("failed reads").isEmpty();
      assertThat(reads.slowestMs()).as("slowest read (ms)").isLessThanOrEqualTo(READ_BUDGET_MS);
      assertThat(watch.gaps()).as("moments when a service was missing from discovery or readiness was not 200").isEmpty();
    }
  }

  @RepeatedTest(2)
  @Order(2)
  void freezeThawAndAKillDuringTheMergeAreRecoveredFrom() throws Exception {
    ServiceProcess victim = users.remove(users.size() - 1);
    try (Watch watch = new Watch(); PacedReads reads = new PacedReads(80, Duration.ofSeconds(240))) {
      reads.awaitCount(80);
      victim.freeze();
      hold(Duration.ofSeconds(25));   // past the 20 s failure detector: the member is dropped, and merges back when thawed
      victim.thaw();
      hold(Duration.ofSeconds(2));
      victim.killHard();
      long restartedAt = System.nanoTime();
      ServiceProcess replacement = cluster.start("user-service");
      users.add(replacement);
      // a JVM starting under load on two shared cores: generous, the point is that it gets there
      cluster.await("the new instance in discovery", Duration.ofSeconds(120), () -> pids(view(), "user-service").contains(replacement.pid()));
      long recoveredMs = (System.nanoTime() - restartedAt) / 1_000_000;
      cluster.await("200 reads in a row answered 200 again", Duration.ofSeconds(60), () -> reads.okInARow() >= 200);
      reads.close();
      watch.close();
      System.out.printf("freeze-thaw-kill: new instance discovered %d ms after its start; %d reads, %d failed (during the restart), slowest %d ms%n",
        recoveredMs, reads.count(), reads.failures().size(), reads.slowestMs());
      assertThat(watch.gaps()).as("moments when a service was missing from discovery or readiness was not 200").isEmpty();
      assertThat(count(view(), "user-service")).isEqualTo(2);
    }
  }

  /** Keeps a fault on for {@code duration}: the fault's length, not a wait for some condition. */
  private static void hold(Duration duration) {
    long until = System.nanoTime() + duration.toNanos();
    cluster.await(duration.toSeconds() + " s of fault", duration.plusSeconds(1), () -> System.nanoTime() >= until);
  }

  /** Instances per service in the gateway's admin view, or an empty map when it did not answer. */
  static Map<String, JsonArray> view() {
    try {
      HttpResponse<String> response = cluster.get("/api/v1/admin/services", admin);
      Map<String, JsonArray> view = new TreeMap<>();
      if (response.statusCode() == 200) {
        new JsonObject(response.body()).getJsonArray("services").forEach(service -> {
          JsonObject json = (JsonObject) service;
          view.put(json.getString("name"), json.getJsonArray("instances"));
        });
      }
      return view;
    } catch (Exception e) {
      return Map.of();
    }
  }

  static int count(Map<String, JsonArray> view, String service) {
    return view.getOrDefault(service, new JsonArray()).size();
  }

  static Set<Long> pids(Map<String, JsonArray> view, String service) {
    Set<Long> pids = new java.util.HashSet<>();
    view.getOrDefault(service, new JsonArray()).forEach(instance -> pids.add(((JsonObject) instance).getLong("pid")));
    return pids;
  }

  /**
   * Samples readiness and the gateway's view of discovery every 250 ms (at most 10 minutes) and
   * records every moment a service had no instance or readiness was not 200.
   */
  static final class Watch implements AutoCloseable {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final ConcurrentLinkedQueue<String> gaps = new ConcurrentLinkedQueue<>();
    private final AtomicInteger samples = new AtomicInteger();
    private final long startedAt = System.nanoTime();

    Watch() {
      timer.scheduleWithFixedDelay(this::sample, 0, 250, TimeUnit.MILLISECONDS);
    }

    private void sample() {
      long at = (System.nanoTime() - startedAt) / 1_000_000;
      if (at > 600_000) {
        timer.shutdown();
        return;
      }
      samples.incrementAndGet();
      try {
        int ready = cluster.get("/health/ready", null).statusCode();
        if (ready != 200) {
          gaps.add("+" + at + " ms: /health/ready " + ready);
        }
      } catch (Exception e) {
        gaps.add("+" + at + " ms: /health/ready " + e);
      }
      Map<String, JsonArray> view = view();
      for (String service : SERVICES) {
        if (count(view, service) == 0) {
          gaps.add("+" + at + " ms: " + service + " missing from discovery");
        }
      }
    }

    List<String> gaps() {
      return List.copyOf(gaps);
    }

    int samples() {
      return samples.get();
    }

    @Override
    public void close() throws InterruptedException {
      timer.shutdown();
      timer.awaitTermination(20, TimeUnit.SECONDS);
    }
  }

  /**
   * GET /api/v1/users/me at a fixed rate (open model: a slow answer does not slow the load), each
   * with a 20 s client timeout; bounded by {@code maxDuration} and 20 000 requests.
   */
  static final class PacedReads implements AutoCloseable {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger dispatched = new AtomicInteger();
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger okInARow = new AtomicInteger();
    private final AtomicLong slowest = new AtomicLong();
    private final long endAt;
    private final HttpRequest request;

    PacedReads(int perSecond, Duration maxDuration) {
      endAt = System.nanoTime() + maxDuration.toNanos();
      request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.gatewayPort + "/api/v1/users/me"))
        .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + token).GET().build();
      timer.scheduleAtFixedRate(this::send, 0, 1_000_000 / perSecond, TimeUnit.MICROSECONDS);
    }

    private void send() {
      if (System.nanoTime() > endAt || sent.incrementAndGet() > 20_000) {
        timer.shutdown();
        return;
      }
      long start = System.nanoTime();
      dispatched.incrementAndGet();
      http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
        slowest.accumulateAndGet((System.nanoTime() - start) / 1_000_000, Math::max);
        if (error != null) {
          failures.add(error.toString());
          okInARow.set(0);
        } else if (response.statusCode() != 200) {
          failures.add(response.statusCode() + " " + response.body());
          okInARow.set(0);
        } else {
          okInARow.incrementAndGet();
        }
        done.incrementAndGet();
      });
    }

    int count() {
      return done.get();
    }

    int okInARow() {
      return okInARow.get();
    }

    long slowestMs() {
      return slowest.get();
    }

    List<String> failures() {
      return List.copyOf(failures);
    }

    void awaitCount(int atLeast) {
      cluster.await(atLeast + " reads answered", Duration.ofSeconds(60), () -> done.get() >= atLeast);
    }

    /** Stops sending and waits (at most 25 s) for the answers in flight. */
    @Override
    public void close() {
      timer.shutdown();
      cluster.await("answers in flight", Duration.ofSeconds(25), () -> done.get() >= dispatched.get());
    }
  }
}
