package dev.bazaar.platform.metrics;

import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;

/** Prometheus text at {@code /metrics} from the registry Vert.x was started with. */
public final class Metrics {
  private Metrics() {
  }

  public static void mount(Router router) {
    router.get("/metrics").handler(PrometheusScrapingHandler.create());
  }
}
