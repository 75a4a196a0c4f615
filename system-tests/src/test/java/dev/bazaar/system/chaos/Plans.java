package dev.bazaar.system.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The fault plans of {@code scripts/bazaar chaos --plan} (docs/RESILIENCE.md), and their building blocks. */
public final class Plans {
  public static final Duration FREEZE = Duration.ofSeconds(13);
  public static final Duration INFRA_DOWN = Duration.ofSeconds(5);
  public static final Duration PROVIDER_OUTAGE = Duration.ofSeconds(10);
  public static final Duration PROVIDER_SLOW = Duration.ofSeconds(15);
  /** Below payment-service's 1 s provider timeout: charges slow down but succeed. */
  public static final long PROVIDER_LATENCY_MS = 700;

  private Plans() {
  }

  public static List<Fault> named(String plan, Levers levers, Api api) {
    return switch (plan) {
      case "services" -> services(levers);
      case "infra" -> infra(levers);
      case "provider" -> provider(levers, api);
      case "partition" -> Partition.plan();
      default -> throw new IllegalArgumentException("unknown plan '" + plan + "': services, infra, provider or partition");
    };
  }

  /**
   * Each of inventory-, payment- and order-service is killed (-9) and restarted, frozen for 13 s
   * and restarted gracefully; the kinds rotate over the services so that a short run still hits
   * every service and every kind.
   */
  public static List<Fault> services(Levers levers) {
    String[] services = {"inventory-service", "payment-service", "order-service"};
    List<Fault> plan = new ArrayList<>();
    for (int round = 0; round < services.length; round++) {
      plan.add(killAndRestart(levers, services[round % 3]));
      plan.add(freeze(levers, services[(round + 1) % 3], FREEZE));
      plan.add(gracefulRestart(levers, services[(round + 2) % 3]));
    }
    return plan;
  }

  /** The Kafka broker, then PostgreSQL: each killed (-9), left down for 5 s, started again. */
  public static List<Fault> infra(Levers levers) {
    return List.of(infraCrash(levers, "kafka"), infraCrash(levers, "postgres"));
  }

  /** The payment provider: an outage of 10 s, then 700 ms of added latency for 15 s. */
  public static List<Fault> provider(Levers levers, Api api) {
    return List.of(
      providerFault(levers, api, "provider outage " + PROVIDER_OUTAGE.toSeconds() + " s", PROVIDER_OUTAGE,
        Map.of("outage", true), Map.of("outage", false)),
      providerFault(levers, api, "provider +" + PROVIDER_LATENCY_MS + " ms for " + PROVIDER_SLOW.toSeconds() + " s", PROVIDER_SLOW,
        Map.of("latencyMs", PROVIDER_LATENCY_MS), Map.of("latencyMs", 0)));
  }

  public static Fault killAndRestart(Levers levers, String service) {
    return new Fault("kill -9 " + service + ", restart", service, Fault.Effect.REPLACES_INSTANCE, Duration.ZERO,
      () -> levers.killHard(service), victim -> levers.restart(service));
  }

  public static Fault freeze(Levers levers, String service, Duration hold) {
    return new Fault("SIGSTOP " + service + " " + hold.toSeconds() + " s", service, Fault.Effect.FREEZES_INSTANCE, hold,
      () -> levers.freeze(service), levers::thaw);
  }

  public static Fault gracefulRestart(Levers levers, String service) {
    return new Fault("restart " + service + " (SIGTERM)", service, Fault.Effect.REPLACES_INSTANCE, Duration.ZERO,
      () -> levers.stop(service), victim -> levers.restart(service));
  }

  public static Fault infraCrash(Levers levers, String name) {
    return new Fault("kill -9 " + name + ", " + INFRA_DOWN.toSeconds() + " s, restart", null, Fault.Effect.INFRASTRUCTURE, INFRA_DOWN,
      () -> levers.killHard(name), victim -> levers.restart(name));
  }

  /**
   * Sets {@code on} on the provider's fault switches for {@code hold}, then {@code off}. The
   * switch back is read back until it holds: a slow "on" that timed out on our side may still
   * land after the "off" (it happened on a loaded machine and left the provider down).
   */
  public static Fault providerFault(Levers levers, Api api, String name, Duration hold, Map<String, Object> on, Map<String, Object> off) {
    return new Fault(name, null, Fault.Effect.PROVIDER, hold,
      () -> {
        switchProvider(levers, api, on);
        return 0;
      },
      victim -> {
        boolean restored = Poll.until(System.nanoTime() + Duration.ofSeconds(30).toNanos(), 1000, () -> {
          Map<String, Object> now;
          try {
            now = switchProvider(levers, api, off);
          } catch (IllegalStateException | IllegalArgumentException e) {
            return false;
          }
          return off.entrySet().stream().allMatch(e -> String.valueOf(e.getValue()).equals(String.valueOf(now.get(e.getKey()))));
        });
        if (!restored) {
          throw new IllegalStateException("the provider's faults did not go back to " + off);
        }
      });
  }

  /** Posts {@code settings} to the provider's fault switches; returns them as the provider holds them now. */
  static Map<String, Object> switchProvider(Levers levers, Api api, Map<String, Object> settings) {
    Api.Reply reply = api.send("POST", Api.loopback(levers.providerUrl() + "/admin/faults"), Json.write(settings), null, Duration.ofSeconds(10));
    if (reply.status() != 200) {
      throw new IllegalStateException("provider /admin/faults answered " + reply.status() + ": " + Json.abbreviate(reply.body()));
    }
    return reply.json();
  }
}
