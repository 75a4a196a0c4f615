import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
 * Usage: java bench/OrderLoad.java GATEWAY_URL TOKEN PRODUCT_ID RATE SECONDS
 */
public class OrderLoad {
  static final Pattern FIELD = Pattern.compile("\"(id|status|createdAt|updatedAt)\"\\s*:\\s*\"([^\"]*)\"");

  public static void main(String[] args) throws Exception {
    String gateway = args[0];
    String token = args[1];
    String product = args[2];
    int rate = Integer.parseInt(args[3]);
    int seconds = Integer.parseInt(args[4]);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(Executors.newFixedThreadPool(4)).build();
    String body = "{\"items\":[{\"productId\":\"" + product + "\",\"quantity\":1}],\"payment\":{\"token\":\"tok_ok\"}}";
    ConcurrentLinkedQueue<Long> acceptNanos = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> ids = new ConcurrentLinkedQueue<>();
    AtomicInteger rejected = new AtomicInteger();
    int total = rate * seconds;
    CountDownLatch done = new CountDownLatch(total);
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    long periodNanos = 1_000_000_000L / rate;
    long start = System.nanoTime();
    AtomicInteger sent = new AtomicInteger();
    ticker.scheduleAtFixedRate(() -> {
      if (sent.getAndIncrement() >= total) {
        return;
      }
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
              ids.add(m.group(2));
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

    List<Long> settleMs = new ArrayList<>();
    int confirmed = 0;
    int pending = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (String id : ids) {
      while (true) {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(gateway + "/api/v1/orders/" + id))
          .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
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
    System.exit(0);
  }

  static long pct(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return -1;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }
}
