package dev.bazaar.system;

import dev.bazaar.system.chaos.Api;
import dev.bazaar.system.chaos.ChaosReport;
import dev.bazaar.system.chaos.ChaosRun;
import dev.bazaar.system.chaos.FaultWindow;
import dev.bazaar.system.chaos.Levers;
import dev.bazaar.system.chaos.Plans;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The short version of {@code scripts/bazaar chaos} (same code: dev.bazaar.system.chaos), through
 * the real jars: orders at 10/s for 60 s while order-service is killed (-9) and restarted,
 * payment-service frozen for 12 s, and inventory-service killed (-9) and restarted. Every accepted
 * order settles, at least 95 % are CONFIRMED, stock is conserved, no order is charged twice, and
 * the gateway is ready again after each fault.
 */
class ChaosIT {
  static final String[] SERVICES = BazaarCluster.domainServices();
  static final int ORDER_DEADLINE_SECONDS = 30;

  @Test
  void ordersSurviveKillsAndAFreezeOfTheSagasServices() throws Exception {
    try (BazaarCluster cluster = new BazaarCluster().requiring(SERVICES).withSaga(ORDER_DEADLINE_SECONDS)) {
      Levers levers = new ClusterLevers(cluster, cluster.startAll(SERVICES));
      Api api = new Api("http://127.0.0.1:" + cluster.gatewayPort);
      String admin;
      try {
        admin = api.login(BazaarCluster.ADMIN_EMAIL, BazaarCluster.ADMIN_PASSWORD);
      } catch (RuntimeException e) {
        // once a 404 from a cluster that was ready: keep what every process logged
        throw cluster.failure(e);
      }
      ChaosRun.Settings settings = new ChaosRun.Settings("system test", 10, 60, Duration.ofSeconds(120), Duration.ofSeconds(60), 95, true);
      ChaosReport report = new ChaosRun(api, admin, levers, List.of(
        Plans.killAndRestart(levers, "order-service"),
        Plans.freeze(levers, "payment-service", Duration.ofSeconds(12)),
        Plans.killAndRestart(levers, "inventory-service")), settings, System.out::println).run();
      System.out.println(report.table());

      assertThat(report.faults()).as("every fault ran and the gateway was ready again after it").allMatch(FaultWindow::recovered);
      assertThat(report.failures()).as(report.table() + cluster.logTails()).isEmpty();
      assertThat(report.confirmedPercent()).isGreaterThanOrEqualTo(95.0);
    }
  }
}
