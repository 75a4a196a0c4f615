package dev.bazaar.system.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Watches the cluster from outside while the faults run, as an operator's probes would: the
 * gateway's {@code /health/ready} every 250 ms, and every 500 ms what discovery holds
 * ({@code GET /api/v1/admin/services}: the pids per service) and, when asked, payment-service's
 * circuit breaker towards the payment provider (from each instance's {@code /metrics}).
 */
public final class Monitor implements AutoCloseable {
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

  /** Gateway readiness at {@code atMs}: the status, negative when it did not answer. */
  public record Readiness(long atMs, int status) {
  }

  /**
   * Discovery at {@code atMs}: the pids of each service's instances (null when the view could not
   * be read), the pids whose health the gateway did not find UP, and the provider breaker's
   * trouble count (calls that failed, timed out or were rejected, summed over payment-service
   * instances; -1 unknown).
   */
  public record Discovery(long atMs, Map<String, Set<Long>> pids, Set<Long> unhealthy, long providerTrouble) {
  }

  private final Api api;
  private final String admin;
  private final boolean watchProvider;
  private final long startNanos;
  private final List<Readiness> readiness = new CopyOnWriteArrayList<>();
  private final List<Discovery> discovery = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;

  public Monitor(Api api, String admin, boolean watchProvider, long startNanos) {
    this.api = api;
    this.admin = admin;
    this.watchProvider = watchProvider;
    this.startNanos = startNanos;
    threads.add(loop("chaos-ready", 250, () -> readiness.add(new Readiness(now(), api.get("/health/ready", null, PROBE_TIMEOUT).status()))));
    threads.add(loop("chaos-discovery", 500, () -> discovery.add(readDiscovery())));
  }

  private Thread loop(String name, long periodMs, Runnable probe) {
    Thread thread = new Thread(() -> {
      while (running) {
        long next = System.nanoTime() + periodMs * 1_000_000;
        probe.run();
        long waitMs = (next - System.nanoTime()) / 1_000_000;
        if (waitMs > 0 && running) {
          try {
            Thread.sleep(waitMs);
          } catch (InterruptedException e) {
            return;
          }
        }
      }
    }, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  long now() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  private Discovery readDiscovery() {
    long at = now();
    Api.Reply reply = api.get("/api/v1/admin/services", admin, Duration.ofSeconds(3));
    if (reply.status() != 200) {
      return new Discovery(at, null, Set.of(), -1);
    }
    Map<String, Set<Long>> pids = new HashMap<>();
    Set<Long> unhealthy = new HashSet<>();
    List<String> paymentInstances = new ArrayList<>();
    for (Map<String, Object> service : Json.objects(reply.json().get("services"))) {
      String name = Json.string(service, "name");
      Set<Long> set = pids.computeIfAbsent(name, n -> new HashSet<>());
      for (Map<String, Object> instance : Json.objects(service.get("instances"))) {
        set.add(Json.number(instance, "pid", -1));
        if (!"UP".equals(Json.string(instance, "health"))) {
          unhealthy.add(Json.number(instance, "pid", -1));
        }
        if ("payment-service".equals(name)) {
          paymentInstances.add(Json.string(instance, "host") + ":" + Json.number(instance, "port", 0));
        }
      }
    }
    return new Discovery(at, pids, unhealthy, watchProvider ? providerTrouble(paymentInstances) : -1);
  }

  /** Failed, timed-out and rejected calls of payment-service's breaker towards the provider, or -1. */
  private long providerTrouble(List<String> instances) {
    long sum = 0;
    for (String address : instances) {
      Api.Reply metrics;
      try {
        metrics = api.send("GET", Api.loopback("http://" + address + "/metrics"), null, null, PROBE_TIMEOUT);
      } catch (IllegalArgumentException notLoopback) {
        return -1;
      }
      if (metrics.status() != 200) {
        return -1;
      }
      for (String line : metrics.body().split("\n")) {
        if (line.startsWith("bazaar_circuit_breaker_calls_total{") && line.contains("breaker=\"payment-provider\"")
          && !line.contains("outcome=\"success\"")) {
          sum += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
    }
    return sum;
  }

  public List<Readiness> readiness() {
    return List.copyOf(readiness);
  }

  public List<Discovery> discovery() {
    return List.copyOf(discovery);
  }

  /** The newest readiness status seen (0 before the first probe). */
  public int ready() {
    return readiness.isEmpty() ? 0 : readiness.get(readiness.size() - 1).status();
  }

  /** The newest discovery view that could be read, or null. */
  public Discovery lastDiscovery() {
    for (int i = discovery.size() - 1; i >= 0; i--) {
      if (discovery.get(i).pids() != null) {
        return discovery.get(i);
      }
    }
    return null;
  }

  @Override
  public void close() {
    running = false;
    threads.forEach(Thread::interrupt);
  }
}
