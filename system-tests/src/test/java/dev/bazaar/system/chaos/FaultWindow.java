package dev.bazaar.system.chaos;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one fault did, on the run's clock (ms since the load started): when it was injected, when
 * it was undone, when the cluster was whole again, and, computed from the monitor's samples and
 * the client's attempts, when it was first seen from outside and how many requests failed meanwhile.
 */
public final class FaultWindow {
  final Fault fault;
  long injectMs = -1;
  long victimPid;
  long restoreMs = -1;
  long recoveredMs = -1;
  String problem;

  long detectedMs = -1;
  String detectedBy = "-";
  int requests;
  int httpErrors;
  int noAnswer;
  int ordersPlaced;
  int ordersCancelled;

  FaultWindow(Fault fault) {
    this.fault = fault;
  }

  public String name() {
    return fault.name();
  }

  public boolean ran() {
    return injectMs >= 0;
  }

  public boolean recovered() {
    return recoveredMs >= 0;
  }

  public String problem() {
    return problem;
  }

  /** Seconds from injection to the first outside sign of the fault, or -1 when none was seen. */
  public double detectionSeconds() {
    return detectedMs < 0 ? -1 : (detectedMs - injectMs) / 1000.0;
  }

  /** Seconds from the restore (restart, SIGCONT, switch off) to the gateway being ready with the service back, or -1. */
  public double recoverySeconds() {
    return recoveredMs < 0 ? -1 : (recoveredMs - restoreMs) / 1000.0;
  }

  /** Seconds from injection to recovery, or -1. */
  public double outageSeconds() {
    return recoveredMs < 0 ? -1 : (recoveredMs - injectMs) / 1000.0;
  }

  public int clientErrors() {
    return httpErrors + noAnswer;
  }

  /** Fills in detection and client errors from what the monitor and the load recorded; {@code endMs} closes an unrecovered window. */
  void measure(List<Monitor.Readiness> readiness, List<Monitor.Discovery> discovery, List<OrderStream.Attempt> attempts, long endMs) {
    if (!ran()) {
      return;
    }
    long until = recovered() ? recoveredMs : endMs;
    for (Monitor.Readiness sample : readiness) {
      if (sample.atMs() >= injectMs && sample.atMs() <= until && sample.status() != 200) {
        detected(sample.atMs(), "/health/ready " + (sample.status() < 0 ? "no answer" : sample.status()));
        break;
      }
    }
    long baseline = -1;
    for (Monitor.Discovery sample : discovery) {
      if (sample.atMs() < injectMs) {
        baseline = sample.providerTrouble();
        continue;
      }
      if (sample.atMs() > until || sample.atMs() > detectedMs && detectedMs >= 0) {
        break;
      }
      if (lostVictim(sample.pids())) {
        detected(sample.atMs(), "pid " + victimPid + " left discovery");
        break;
      }
      if (victimPid > 0 && sample.unhealthy().contains(victimPid)) {
        detected(sample.atMs(), "pid " + victimPid + " not UP in discovery");
        break;
      }
      if (fault.effect() == Fault.Effect.PROVIDER && baseline >= 0 && sample.providerTrouble() > baseline) {
        detected(sample.atMs(), "provider breaker: failed calls");
        break;
      }
    }
    for (OrderStream.Attempt attempt : attempts) {
      if (attempt.sentMs() >= injectMs && attempt.sentMs() <= until) {
        requests++;
        if (attempt.status() < 0) {
          noAnswer++;
        } else if (attempt.failed()) {
          httpErrors++;
        }
      }
    }
  }

  private boolean lostVictim(Map<String, Set<Long>> pids) {
    return pids != null && fault.service() != null && victimPid > 0 && !pids.getOrDefault(fault.service(), Set.of()).contains(victimPid);
  }

  private void detected(long atMs, String by) {
    if (detectedMs < 0 || atMs < detectedMs) {
      detectedMs = atMs;
      detectedBy = by;
    }
  }

  /** Counts the orders first sent in this fault's window, and those of them that ended CANCELLED. */
  void countOrders(List<OrderStream.Placement> placements, Map<String, String> statusById, long endMs) {
    if (!ran()) {
      return;
    }
    long until = recovered() ? recoveredMs : endMs;
    for (OrderStream.Placement placement : placements) {
      if (placement.firstSentMs() >= injectMs && placement.firstSentMs() <= until) {
        ordersPlaced++;
        if ("CANCELLED".equals(statusById.get(placement.orderId()))) {
          ordersCancelled++;
        }
      }
    }
  }

  /** Whether the cluster is whole again after the restore, judging by the newest samples. */
  boolean isRecovered(Monitor monitor) {
    List<Monitor.Readiness> readiness = monitor.readiness();
    if (readiness.isEmpty()) {
      return false;
    }
    Monitor.Readiness ready = readiness.get(readiness.size() - 1);
    if (ready.atMs() < restoreMs || ready.status() != 200) {
      return false;
    }
    Monitor.Discovery view = monitor.lastDiscovery();
    if (fault.service() == null) {
      return true;
    }
    if (view == null || view.atMs() < restoreMs) {
      return false;
    }
    Set<Long> pids = view.pids().getOrDefault(fault.service(), Set.of());
    return switch (fault.effect()) {
      case REPLACES_INSTANCE -> !pids.isEmpty() && !pids.contains(victimPid);
      case FREEZES_INSTANCE -> pids.contains(victimPid);
      default -> true;
    };
  }

  Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("fault", name());
    json.put("service", fault.service());
    json.put("ran", ran());
    json.put("injectedAtSeconds", ran() ? injectMs / 1000.0 : null);
    json.put("pid", victimPid > 0 ? victimPid : null);
    json.put("detectionSeconds", detectedMs < 0 ? null : detectionSeconds());
    json.put("detectedBy", detectedMs < 0 ? null : detectedBy);
    json.put("requestsInWindow", requests);
    json.put("httpErrors", httpErrors);
    json.put("noAnswer", noAnswer);
    json.put("ordersPlacedInWindow", ordersPlaced);
    json.put("ordersCancelledOfThose", ordersCancelled);
    json.put("recoverySeconds", recovered() ? recoverySeconds() : null);
    json.put("outageSeconds", recovered() ? outageSeconds() : null);
    json.put("problem", problem);
    return json;
  }
}
