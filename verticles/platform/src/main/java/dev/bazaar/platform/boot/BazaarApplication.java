package dev.bazaar.platform.boot;

import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;

/**
 * Entry point of every Bazaar fat jar: the Vert.x 5 launcher ({@link VertxApplication}) with
 * Bazaar's runtime wired in: Hazelcast from {@code cluster-config/}, Prometheus metrics.
 * {@code java -jar x-fat.jar -cluster} deploys the jar's {@code Main-Verticle} into the cluster.
 */
public final class BazaarApplication extends VertxApplication {

  // The launcher reads Main-Verticle from the manifest whose Main-Class is this very class.
  private BazaarApplication(String[] args) {
    super(args, new Hooks());
  }

  public static void main(String[] args) {
    int exitCode = new BazaarApplication(args).launch();
    if (exitCode != 0) {
      System.exit(exitCode);
    }
  }

  private static final class Hooks implements VertxApplicationHooks {
    @Override
    public VertxBuilder createVertxBuilder(VertxOptions options) {
      return BazaarApplication.createVertxBuilder(options);
    }
  }

  static VertxBuilder createVertxBuilder(VertxOptions options) {
    ClusterSettings cluster = ClusterSettings.fromEnvironment(System.getenv());
    options.setMetricsOptions(metricsOptions());
    options.getEventBusOptions().setHost(cluster.interfaceAddress());
    return Vertx.builder()
      .with(options)
      .withClusterManager(cluster.clusterManager());
  }

  /** Prometheus metrics labelled by route template, never by raw path (bounded cardinality). */
  public static MicrometerMetricsOptions metricsOptions() {
    return new MicrometerMetricsOptions()
      .setEnabled(true)
      .setJvmMetricsEnabled(true)
      .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true).setPublishQuantiles(false))
      .setLabels(java.util.EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE, Label.POOL_TYPE, Label.POOL_NAME, Label.NAMESPACE));
  }
}
