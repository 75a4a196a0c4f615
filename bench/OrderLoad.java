import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Places orders through the gateway at a fixed rate (open model: a slow system does not slow the
 * arrivals) and reports accepted/s, 202 latency and accept-to-final latency (from the order's own
 * createdAt/updatedAt), and how many ended CONFIRMED.
 * With RUN_DIR (scripts/bazaar's folder of pid files) it also reports the CPU each process (with
 * its child processes, e.g. PostgreSQL's backends) spent per settled order, read from /proc: from
 * the first order until the last accepted one is final, minus what the same process burns idle
 * (measured just before the load, in windows of IDLE_SECONDS until the cluster is quiet: see quietBurn).
 * Usage: java bench/OrderLoad.java GATEWAY_URL TOKEN PRODUCT_ID RATE SECONDS [RUN_DIR [IDLE_SECONDS]]
 */
public class OrderLoad {
  static final Pattern FIELD = Pattern.compile("\"(id|status|createdAt|updatedAt)\"\\s*:\\s*\"([^\"]*)\"");

  public static void main(String[] args) throws Exception {
    String gateway = args[0];
    // one or more bearer tokens, comma-separated: orders go round-robin over their users (each user
    // has the gateway's per-user rate limit, as real traffic from many users would)
    String[] tokens = args[1].split(",");
    String product = args[2];
    int rate = Integer.parseInt(args[3]);
    int seconds = Integer.parseInt(args[4]);
    Path runDir = args.length > 5 ? Path.of(args[5]) : null;
    int idleSeconds = args.length > 6 ? Integer.parseInt(args[6]) : 5;
    Map<String, Double> idleMsPerSecond = runDir == null ? Map.of() : quietBurn(runDir, idleSeconds);
    Map<String, Long> cpuAtStart = runDir == null ? Map.of() : cpuTicks(runDir);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(Executors.newFixedThreadPool(4)).build();
    String body = "{\"items\":[{\"productId\":\"" + product + "\",\"quantity\":1}],\"payment\":{\"token\":\"tok_ok\"}}";
    ConcurrentLinkedQueue<Long> acceptNanos = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String[]> ids = new ConcurrentLinkedQueue<>(); // {order id, its user's token}
    AtomicInteger rejected = new AtomicInteger();
    int total = rate * seconds;
    CountDownLatch done = new CountDownLatch(total);
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    long periodNanos = 1_000_000_000L / rate;
    long start = System.nanoTime();
    AtomicInteger sent = new AtomicInteger();
    ticker.scheduleAtFixedRate(() -> {
      int n = sent.getAndIncrement();
      if (n >= total) {
        return;
      }
      String token = tokens[n % tokens.length];
      long t0 = System.nanoTime();
      HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + "/api/v1/orders")).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
      http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
        if (error == null && response.statusCode() == 202) {
          acceptNanos.add(System.nanoTime() - t0);
          Matcher m = FIELD.matcher(response.body());
          while (m.find()) {
            if (m.group(1).equals("id")) {
              ids.add(new String[] {m.group(2), token});
            }
          }
        } else {
          rejected.incrementAndGet();
        }
        done.countDown();
      });
    }, 0, periodNanos, TimeUnit.NANOSECONDS);
    done.await(seconds + 30L, TimeUnit.SECONDS);
    double elapsed = (System.nanoTime() - start) / 1e9;
    ticker.shutdownNow();
    String cpuReport = "";
    if (runDir != null) {
      String[] last = null;
      for (String[] order : ids) {
        last = order;
      }
      if (last != null) {
        awaitFinal(http, gateway, last[1], last[0]);
      }
      double window = (System.nanoTime() - start) / 1e9;
      Map<String, Long> cpuAtEnd = cpuTicks(runDir);
      cpuReport = cpuPerOrder(cpuAtStart, cpuAtEnd, idleMsPerSecond, window, Math.max(1, acceptNanos.size()));
    }

    List<Long> settleMs = new ArrayList<>();
    int confirmed = 0;
    int pending = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60 + ids.size() / 100);
    for (String[] order : ids) {
      while (true) {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(gateway + "/api/v1/orders/" + order[0]))
          .header("Authorization", "Bearer " + order[1]).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 429 && System.nanoTime() < deadline) {
          Thread.sleep(200); // the reader's own rate limit, not the order's state
          continue;
        }
        String status = null;
        String created = null;
        String updated = null;
        Matcher m = FIELD.matcher(response.body());
        while (m.find()) {
          switch (m.group(1)) {
            case "status" -> status = m.group(2);
            case "createdAt" -> created = m.group(2);
            case "updatedAt" -> updated = m.group(2);
            default -> { }
          }
        }
        if (status != null && !status.equals("PENDING")) {
          settleMs.add(Duration.between(Instant.parse(created), Instant.parse(updated)).toMillis());
          if (status.equals("CONFIRMED")) {
            confirmed++;
          }
          break;
        }
        if (System.nanoTime() > deadline) {
          pending++;
          break;
        }
        Thread.sleep(50);
      }
    }
    List<Long> accept = new ArrayList<>(acceptNanos);
    Collections.sort(accept);
    Collections.sort(settleMs);
    System.out.printf("rate %d/s for %d s: accepted %d (%.0f/s), rejected %d; 202 p50 %.1f ms p99 %.1f ms; "
        + "accept->final p50 %d ms p99 %d ms; confirmed %d, still pending %d%n",
      rate, seconds, accept.size(), accept.size() / elapsed, rejected.get(),
      pct(accept, 50) / 1e6, pct(accept, 99) / 1e6, pct(settleMs, 50), pct(settleMs, 99), confirmed, pending);
    System.out.print(cpuReport);
    System.exit(0);
  }

  /** One clock tick of /proc/PID/stat in ms (USER_HZ is 100 on Linux). */
  static final double TICK_MS = 10.0;
  static final int IDLE_WINDOWS = 8;

  /** Polls one order until it is no longer PENDING, for at most 60 s. */
  static void awaitFinal(HttpClient http, String gateway, String token, String id) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(gateway + "/api/v1/orders/" + id))
        .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200 && !response.body().contains("\"PENDING\"")) {
        return;
      }
      Thread.sleep(20);
    }
  }

  /**
   * What each process burns per second with no load, in ms: the quietest of up to {@link #IDLE_WINDOWS}
   * windows of {@code seconds}, ending early once a window is within a tenth of the quietest before
   * it. The first window can still hold the previous load's tail (the saga settling its last
   * orders, the JIT compiling); subtracting that as idle would make an order look cheaper than it is.
   */
  static Map<String, Double> quietBurn(Path runDir, int seconds) throws IOException, InterruptedException {
    Map<String, Double> quietest = null;
    double quietestTotal = Double.MAX_VALUE;
    List<String> windows = new ArrayList<>();
    for (int i = 0; i < IDLE_WINDOWS; i++) {
      Map<String, Long> before = cpuTicks(runDir);
      long t = System.nanoTime();
      Thread.sleep(seconds * 1000L);
      double window = (System.nanoTime() - t) / 1e9;
      Map<String, Double> burn = new HashMap<>();
      cpuTicks(runDir).forEach((name, ticks) -> burn.put(name, (ticks - before.getOrDefault(name, ticks)) * TICK_MS / window));
      double total = burn.values().stream().mapToDouble(Double::doubleValue).sum();
      windows.add(String.format("%.3f", total / 1000));
      boolean settled = total >= quietestTotal * 0.9;
      if (total < quietestTotal) {
        quietest = burn;
        quietestTotal = total;
      }
      if (settled) {
        break;
      }
    }
    System.out.println("  idle windows of " + seconds + " s (cores): " + String.join(", ", windows));
    return quietest;
  }

  /** CPU ticks (user + system, with reaped and live children) of every process named by a pid file. */
  static Map<String, Long> cpuTicks(Path runDir) throws IOException {
    Map<Long, List<Long>> children = new HashMap<>();
    Map<Long, long[]> stats = new HashMap<>();
    try (var procs = Files.list(Path.of("/proc"))) {
      for (Path proc : (Iterable<Path>) procs::iterator) {
        String name = proc.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String stat = Files.readString(proc.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long pid = Long.parseLong(name);
          long ppid = Long.parseLong(f[1]);
          stats.put(pid, new long[] {Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[13]) + Long.parseLong(f[14])});
          children.computeIfAbsent(ppid, k -> new ArrayList<>()).add(pid);
        } catch (IOException | RuntimeException gone) {
          // the process ended while we read: its time is in its parent's reaped-children counters
        }
      }
    }
    Map<String, Long> ticks = new TreeMap<>();
    // PostgreSQL's postmaster detaches from the launcher that pid file names: count it by its own pid file
    Path postmaster = runDir.resolveSibling("pg").resolve("data").resolve("postmaster.pid");
    if (Files.isReadable(postmaster)) {
      long pid = Long.parseLong(Files.readAllLines(postmaster).get(0).trim());
      if (stats.containsKey(pid)) {
        ticks.put("postgres-server", treeTicks(pid, stats, children));
      }
    }
    try (var files = Files.list(runDir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String name = file.getFileName().toString();
        if (!name.endsWith(".pid")) {
          continue;
        }
        long pid;
        try {
          pid = Long.parseLong(Files.readString(file).trim());
        } catch (IOException | NumberFormatException unreadable) {
          continue;
        }
        if (stats.containsKey(pid)) {
          ticks.put(name.substring(0, name.length() - 4), treeTicks(pid, stats, children));
        }
      }
    }
    return ticks;
  }

  static long treeTicks(long pid, Map<Long, long[]> stats, Map<Long, List<Long>> children) {
    long[] s = stats.get(pid);
    long sum = s == null ? 0 : s[0] + s[1];
    for (long child : children.getOrDefault(pid, List.of())) {
      sum += treeTicks(child, stats, children);
    }
    return sum;
  }

  static String cpuPerOrder(Map<String, Long> start, Map<String, Long> end, Map<String, Double> idleMsPerSecond,
                            double window, int orders) {
    StringBuilder out = new StringBuilder();
    List<Map.Entry<String, Double>> rows = new ArrayList<>();
    double total = 0;
    for (var e : end.entrySet()) {
      Long before = start.get(e.getKey());
      if (before == null) {
        continue;
      }
      double busyMs = (e.getValue() - before) * TICK_MS - idleMsPerSecond.getOrDefault(e.getKey(), 0.0) * window;
      double perOrder = Math.max(0, busyMs) / orders;
      rows.add(Map.entry(e.getKey(), perOrder));
      total += perOrder;
    }
    rows.sort(Map.Entry.<String, Double>comparingByValue().reversed());
    out.append(String.format("  CPU per settled order (idle subtracted, %d orders over %.1f s): total %.1f ms;", orders, window, total));
    for (var row : rows) {
      out.append(String.format(" %s %.2f", row.getKey(), row.getValue()));
    }
    double idle = idleMsPerSecond.values().stream().mapToDouble(Double::doubleValue).sum();
    out.append(String.format("%n  idle burn before the load: %.3f of a core%n", idle / 1000));
    return out.toString();
  }

  static long pct(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return -1;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }
}
