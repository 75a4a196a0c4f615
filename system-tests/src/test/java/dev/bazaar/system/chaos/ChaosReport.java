package dev.bazaar.system.chaos;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The outcome of a chaos run: a table for people, the same as JSON, and the verdict. */
public final class ChaosReport {
  private final ChaosRun.Settings settings;
  private final List<FaultWindow> faults;
  private final Invariants invariants;
  private final int ordersStarted;
  private final long attempts;
  private final long failedAttempts;
  private final Map<String, Long> failedByStatus = new java.util.TreeMap<>();
  private final long loadEndMs;
  private final List<String> failures = new ArrayList<>();

  ChaosReport(ChaosRun.Settings settings, List<FaultWindow> faults, OrderStream load, Invariants invariants, long loadEndMs) {
    this.settings = settings;
    this.faults = List.copyOf(faults);
    this.invariants = invariants;
    this.ordersStarted = load.started();
    List<OrderStream.Attempt> all = load.attempts();
    this.attempts = all.size();
    this.failedAttempts = all.stream().filter(OrderStream.Attempt::failed).count();
    all.stream().filter(OrderStream.Attempt::failed).forEach(a -> failedByStatus.merge(statusName(a.status()), 1L, Long::sum));
    this.loadEndMs = loadEndMs;
    List<OrderStream.Placement> placements = load.placements();
    faults.forEach(f -> f.countOrders(placements, invariants.statusById, loadEndMs));
    failures.addAll(invariants.violations());
    if (invariants.accepted == 0) {
      failures.add("no order was accepted");
    } else if (invariants.confirmedPercent() < settings.minConfirmedPercent()) {
      failures.add(String.format(Locale.ROOT, "only %.1f %% of accepted orders CONFIRMED (minimum %.1f %%)",
        invariants.confirmedPercent(), settings.minConfirmedPercent()));
    }
    for (FaultWindow fault : faults) {
      if (fault.ran() && !fault.recovered()) {
        failures.add("fault '" + fault.name() + "': " + fault.problem());
      }
    }
  }

  public boolean passed() {
    return failures.isEmpty();
  }

  public List<String> failures() {
    return List.copyOf(failures);
  }

  public List<FaultWindow> faults() {
    return faults;
  }

  public double confirmedPercent() {
    return invariants.confirmedPercent();
  }

  public String table() {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%nchaos: plan %s, %d orders/s for %d s%n%n", settings.plan(), settings.rate(), settings.seconds()));
    String row = "%-40s %6s %8s %-30s %5s %6s %6s %7s %7s %9s%n";
    out.append(String.format(Locale.ROOT, row, "FAULT", "AT", "DETECTED", "BY", "REQS", "ERRORS", "NO-ANS", "READY", "OUTAGE", "CANCELLED"));
    for (FaultWindow f : faults) {
      if (!f.ran()) {
        out.append(String.format(Locale.ROOT, "%-40s %s%n", f.name(), f.problem()));
        continue;
      }
      out.append(String.format(Locale.ROOT, row, f.name(), secs(f.injectMs / 1000.0), secs(f.detectionSeconds()),
        f.detectionSeconds() < 0 ? "not seen" : abbreviate(f.detectedBy, 30), f.requests, f.httpErrors, f.noAnswer,
        f.recovered() ? secs(f.recoverySeconds()) : "NEVER", f.recovered() ? secs(f.outageSeconds()) : "-",
        f.ordersCancelled + "/" + f.ordersPlaced));
    }
    Invariants inv = invariants;
    out.append(String.format(Locale.ROOT, "%norders: %d started, %d accepted (202), %d requests of which %d failed %s%n",
      ordersStarted, inv.accepted, attempts, failedAttempts, failedByStatus));
    out.append(String.format(Locale.ROOT, "settled: %d CONFIRMED (%.1f %%), %d CANCELLED %s, %d still PENDING, %d missing; "
      + "%d created without the client seeing a 202 (%d of them CONFIRMED); settled %.1f s after the load%n",
      inv.confirmed, inv.confirmedPercent(), inv.cancelled, inv.cancelReasons, inv.unsettled, inv.missing, inv.unacknowledged,
      inv.unacknowledgedConfirmed, inv.settleSeconds));
    for (Map<String, Object> product : inv.stock) {
      out.append(String.format(Locale.ROOT, "stock %s: available %s + confirmed %s = %s, put in %s: %s%n", product.get("productId"),
        product.get("available"), product.get("confirmedUnits"),
        (long) product.get("available") + (long) product.get("confirmedUnits"), product.get("putIn"),
        Boolean.TRUE.equals(product.get("conserved")) ? "conserved" : "NOT CONSERVED"));
    }
    out.append(String.format(Locale.ROOT, "charges: %d order(s) charged twice, %d CONFIRMED without payment, %d CANCELLED still charged%s%n",
      inv.doubleCharges, inv.confirmedUnpaid, inv.cancelledCharged,
      inv.providerChargesKeptForCancelled < 0 ? "" : ", provider keeps " + inv.providerChargesKeptForCancelled + " charge(s) of cancelled orders"));
    out.append(passed() ? String.format("%nPASS%n") : String.format("%nFAIL%n  - %s%n", String.join("\n  - ", failures)));
    return out.toString();
  }

  static String statusName(int status) {
    return status == Api.TIMEOUT_STATUS ? "timeout" : status == Api.IO_STATUS ? "no-connection" : Integer.toString(status);
  }

  private static String secs(double seconds) {
    return seconds < 0 ? "-" : String.format(Locale.ROOT, "%.1fs", seconds);
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  public String toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("plan", settings.plan());
    json.put("rate", settings.rate());
    json.put("seconds", settings.seconds());
    json.put("minConfirmedPercent", settings.minConfirmedPercent());
    json.put("passed", passed());
    json.put("failures", failures);
    json.put("ordersStarted", ordersStarted);
    json.put("requests", attempts);
    json.put("failedRequests", failedAttempts);
    json.put("failedRequestsByStatus", failedByStatus);
    json.put("loadEndSeconds", loadEndMs / 1000.0);
    json.put("faults", faults.stream().map(FaultWindow::toJson).toList());
    json.put("invariants", invariants.toJson());
    return Json.write(json);
  }
}
