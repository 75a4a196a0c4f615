package dev.bazaar.system.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One chaos run against a running cluster: a customer and products of its own, orders at a fixed
 * rate for a bounded time, the faults of a plan one after the other while the load runs (each
 * waits for the gateway to be ready before it starts), then the invariants once everything has
 * settled. Shared by {@code scripts/bazaar chaos} ({@link ChaosCommand}) and the ChaosIT system test.
 */
public final class ChaosRun {
  /**
   * rate orders/s for seconds; settle: how long the orders may take to settle after the load;
   * recovery: how long one fault may take to heal; minConfirmedPercent: the pass mark;
   * wholePlan: run every fault even when the load has (nearly) ended, instead of skipping it.
   */
  public record Settings(String plan, int rate, int seconds, Duration settle, Duration recovery, double minConfirmedPercent,
                         boolean wholePlan) {
  }

  static final Duration WARM_UP = Duration.ofSeconds(8);
  /** A fault starts only while at least this much of the load is left, so its window sees orders. */
  static final Duration LAST_START = Duration.ofSeconds(10);
  /** Quiet time between one fault's recovery and the next fault. */
  static final Duration GAP = Duration.ofSeconds(3);
  static final int PRODUCTS = 3;

  private final Api api;
  private final String admin;
  private final Levers levers;
  private final List<Fault> plan;
  private final Settings settings;
  private final Consumer<String> log;
  private long startNanos;

  public ChaosRun(Api api, String admin, Levers levers, List<Fault> plan, Settings settings, Consumer<String> log) {
    this.api = api;
    this.admin = admin;
    this.levers = levers;
    this.plan = List.copyOf(plan);
    this.settings = settings;
    this.log = log;
  }

  public ChaosReport run() throws InterruptedException {
    String runId = Long.toString(System.currentTimeMillis(), 36);
    String customer = api.newCustomer("chaos-" + runId + "@chaos.test", "chaos-" + runId + "-password");
    long stockEach = OrderStream.maxUnitsPerProduct(settings.rate() * settings.seconds()) + 100;
    Map<String, Long> putIn = new LinkedHashMap<>();
    for (int i = 1; i <= PRODUCTS; i++) {
      putIn.put(api.newProduct(admin, "CHAOS-" + runId + "-" + i, stockEach), stockEach);
    }
    say("customer chaos-" + runId + "@chaos.test, " + PRODUCTS + " products with " + stockEach + " units each; "
      + settings.rate() + " orders/s for " + settings.seconds() + " s, plan " + settings.plan() + " (" + plan.size() + " faults)");

    warnOfProviderFaults("before the run");
    startNanos = System.nanoTime();
    boolean watchProvider = plan.stream().anyMatch(f -> f.effect() == Fault.Effect.PROVIDER);
    List<FaultWindow> windows = new ArrayList<>();
    OrderStream load = new OrderStream(api, customer, new ArrayList<>(putIn.keySet()), startNanos);
    long loadEndMs;
    List<Monitor.Readiness> readiness;
    List<Monitor.Discovery> discovery;
    try (Monitor monitor = new Monitor(api, admin, watchProvider, startNanos)) {
      load.start(settings.rate(), settings.seconds());
      waitUntil(nowMs() + WARM_UP.toMillis(), () -> false);
      for (Fault fault : plan) {
        FaultWindow window = new FaultWindow(fault);
        windows.add(window);
        runFault(window, monitor);
      }
      load.awaitDone(Duration.ofSeconds(settings.seconds()).plus(OrderStream.RETRY_BUDGET).plus(OrderStream.ATTEMPT_TIMEOUT).plusSeconds(30));
      loadEndMs = nowMs();
      readiness = monitor.readiness();
      discovery = monitor.discovery();
    }
    List<OrderStream.Attempt> attempts = load.attempts();
    for (FaultWindow window : windows) {
      window.measure(readiness, discovery, attempts, loadEndMs);
    }
    say("load done at " + seconds(loadEndMs) + ": " + load.placements().stream().filter(p -> p.orderId() != null).count()
      + " of " + load.started() + " orders accepted");
    warnOfProviderFaults("after the faults");
    Invariants invariants = new Invariants(api, customer, levers.providerUrl(), this::say).check(load.placements(), putIn, settings.settle());
    return new ChaosReport(settings, windows, load, invariants, loadEndMs);
  }

  private void runFault(FaultWindow window, Monitor monitor) {
    Fault fault = window.fault;
    if (!settings.wholePlan() && nowMs() > (settings.seconds() * 1000L) - LAST_START.toMillis()) {
      window.problem = "skipped: less than " + LAST_START.toSeconds() + " s of load left";
      say("skip  " + fault.name() + " (" + window.problem + ")");
      return;
    }
    if (!waitUntil(nowMs() + settings.recovery().toMillis(), () -> monitor.ready() == 200)) {
      window.problem = "skipped: gateway not ready";
      say("skip  " + fault.name() + " (gateway not ready for " + settings.recovery().toSeconds() + " s)");
      return;
    }
    window.injectMs = nowMs();
    say("fault " + fault.name());
    try {
      window.victimPid = fault.inject().run();
      if (window.victimPid > 0) {
        say("      pid " + window.victimPid);
      }
      long holdUntil = window.injectMs + fault.hold().toMillis();
      waitUntil(holdUntil, () -> false);
      window.restoreMs = nowMs();
      fault.restore().run(window.victimPid);
    } catch (Exception e) {
      window.problem = "lever failed: " + e.getMessage();
      say("      " + fault.name() + ": " + window.problem);
      if (window.restoreMs < 0) {
        window.restoreMs = nowMs();
      }
    }
    if (waitUntil(nowMs() + settings.recovery().toMillis(), () -> window.isRecovered(monitor))) {
      window.recoveredMs = nowMs();
      say("      recovered " + String.format("%.1f", window.recoverySeconds()) + " s after the restore");
      waitUntil(nowMs() + GAP.toMillis(), () -> false);
    } else {
      String notRecovered = "not recovered " + settings.recovery().toSeconds() + " s after the restore";
      window.problem = window.problem == null ? notRecovered : window.problem + "; " + notRecovered;
      say("      " + window.problem);
    }
  }

  /** The provider simulator should have no fault switched on outside a provider fault: says so when it has. */
  private void warnOfProviderFaults(String when) {
    Api.Reply reply = api.send("GET", Api.loopback(levers.providerUrl() + "/admin/faults"), null, null, Duration.ofSeconds(5));
    if (reply.status() != 200) {
      say("warning: the payment provider's /admin/faults answered " + reply.status() + " " + when);
      return;
    }
    Map<String, Object> faults = reply.json();
    if (Boolean.TRUE.equals(faults.get("outage")) || Json.number(faults, "latencyMs", 0) > 0
      || ((Number) faults.getOrDefault("errorRate", 0)).doubleValue() > 0 || ((Number) faults.getOrDefault("timeoutRate", 0)).doubleValue() > 0) {
      say("warning: the payment provider has faults switched on " + when + ": " + Json.write(faults));
    }
  }

  /** A progress line, stamped with the run's clock once the load has started. */
  private void say(String line) {
    log.accept(startNanos == 0 ? line : String.format("[%6.1fs] %s", nowMs() / 1000.0, line));
  }

  private long nowMs() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  static String seconds(long ms) {
    return String.format("%.1f s", ms / 1000.0);
  }

  /** Polls {@code condition} every 100 ms until it holds or the run's clock reaches {@code untilMs}. */
  private boolean waitUntil(long untilMs, BooleanSupplier condition) {
    return Poll.until(startNanos + untilMs * 1_000_000, 100, condition);
  }
}
