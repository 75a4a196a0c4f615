package dev.bazaar.system.chaos;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Places orders at a fixed rate (open model: arrivals follow the clock, not the answers) for a
 * bounded time, each with its own Idempotency-Key. A well-behaved client: an attempt that gets no
 * answer, a 429 or a 5xx is repeated with the same key (nothing can be ordered twice) after a
 * backoff (at least the answer's Retry-After), at most {@link #MAX_ATTEMPTS} times within {@link #RETRY_BUDGET}. Every attempt is
 * recorded, so that client errors can be counted per fault window.
 */
public final class OrderStream {
  public static final int MAX_ATTEMPTS = 4;
  public static final Duration RETRY_BUDGET = Duration.ofSeconds(20);
  static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(10);

  /** One HTTP attempt: when it was sent (ms since the run's start), its status (negative: no answer), how long it took. */
  public record Attempt(long sentMs, int status, long latencyMs) {
    public boolean failed() {
      return status < 200 || status >= 300;
    }
  }

  /** One order the client tried to place: when, its key, the id when a 202 came back (else null). */
  public record Placement(long firstSentMs, String key, String orderId, int attempts, int lastStatus) {
  }

  private final Api api;
  private final String token;
  private final List<String> products;
  private final long startNanos;
  private final ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Placement> placements = new ConcurrentLinkedQueue<>();
  private final ScheduledExecutorService clock = Executors.newScheduledThreadPool(2, Api.daemon("chaos-load"));
  private final AtomicInteger scheduled = new AtomicInteger();
  private CountDownLatch finished;
  private int total;

  public OrderStream(Api api, String token, List<String> products, long startNanos) {
    this.api = api;
    this.token = token;
    this.products = List.copyOf(products);
    this.startNanos = startNanos;
  }

  /** The lines of the n-th order: one unit of one product, or one of each of two (stock is checked per product). */
  static List<Map<String, Object>> lines(List<String> products, int n) {
    String first = products.get(n % products.size());
    if (n % 3 == 0 && products.size() > 1) {
      return List.of(Map.of("productId", first, "quantity", 1),
        Map.of("productId", products.get((n + 1) % products.size()), "quantity", 1));
    }
    return List.of(Map.of("productId", first, "quantity", 1 + n % 2));
  }

  /** Most units of one product that {@code orders} orders can take. */
  public static long maxUnitsPerProduct(int orders) {
    return 2L * orders;
  }

  /** Starts placing {@code rate} orders a second for {@code seconds}; returns at once. */
  public void start(int rate, int seconds) {
    total = rate * seconds;
    finished = new CountDownLatch(total);
    long periodNanos = 1_000_000_000L / rate;
    clock.scheduleAtFixedRate(() -> {
      int n = scheduled.getAndIncrement();
      if (n >= total) {
        return;
      }
      String body = Json.write(Map.of("items", lines(products, n), "payment", Map.of("token", "tok_ok")));
      attempt(UUID.randomUUID().toString(), body, 1, System.nanoTime());
    }, 0, periodNanos, TimeUnit.NANOSECONDS);
  }

  private void attempt(String key, String body, int number, long firstNanos) {
    long sent = System.nanoTime();
    HttpRequest request = HttpRequest.newBuilder(api.gateway().resolve("/api/v1/orders")).timeout(ATTEMPT_TIMEOUT)
      .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
      .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    api.sendAsync(request).thenAccept(reply -> {
      long now = System.nanoTime();
      attempts.add(new Attempt(ms(sent), reply.status(), (now - sent) / 1_000_000));
      boolean retryable = reply.status() < 0 || reply.status() == 429 || reply.status() >= 500;
      long backoffMs = Math.max(Math.min(4000, 250L << number), reply.retryAfterSeconds() * 1000);
      boolean inBudget = now + backoffMs * 1_000_000 - firstNanos < RETRY_BUDGET.toNanos();
      if (retryable && number < MAX_ATTEMPTS && inBudget) {
        clock.schedule(() -> attempt(key, body, number + 1, firstNanos), backoffMs, TimeUnit.MILLISECONDS);
        return;
      }
      String id = reply.status() == 202 ? idOf(reply) : null;
      placements.add(new Placement(ms(firstNanos), key, id, number, reply.status()));
      finished.countDown();
    });
  }

  private static String idOf(Api.Reply reply) {
    try {
      return Json.string(reply.json(), "id");
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private long ms(long nanos) {
    return (nanos - startNanos) / 1_000_000;
  }

  /** Waits (bounded) until every order has its final answer, then stops the clock. */
  public void awaitDone(Duration deadline) throws InterruptedException {
    finished.await(deadline.toMillis(), TimeUnit.MILLISECONDS);
    clock.shutdownNow();
  }

  public List<Attempt> attempts() {
    return new ArrayList<>(attempts);
  }

  public List<Placement> placements() {
    return new ArrayList<>(placements);
  }

  /** Orders the clock has started so far. */
  public int started() {
    return Math.min(scheduled.get(), total);
  }
}
