package dev.bazaar.platform.boot;

import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import dev.bazaar.platform.tracing.Tracing;
import dev.bazaar.platform.tracing.TracingSettings;
import io.vertx.micrometer.Label;
import io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;

/**
 * Entry point of every Bazaar fat jar: the Vert.x 5 launcher ({@link VertxApplication}) with
 * Bazaar's runtime wired in: Hazelcast from {@code cluster-config/}, Prometheus metrics,
 * OpenTelemetry tracing to Zipkin ({@link TracingSettings}).
 * {@code java -jar x-fat.jar -cluster} deploys the jar's {@code Main-Verticle} into the cluster.
 */
public final class BazaarApplication extends VertxApplication {

  // The launcher reads Main-Verticle from the manifest whose Main-Class is this very class.
  private BazaarApplication(String[] args) {
    super(args, new Hooks());
  }

  public static void main(String[] args) {
    // before anything logs: every log line names its service
    System.setProperty("bazaar.service", serviceName());
    int exitCode = new BazaarApplication(args).launch();
    if (exitCode != 0) {
      System.exit(exitCode);
    }
  }

  private static final class Hooks implements VertxApplicationHooks {
    private final StartWatchdog watchdog = new StartWatchdog(StartWatchdog.timeoutFromEnvironment(System.getenv()));

    @Override
    public void beforeStartingVertx(HookContext context) {
      watchdog.arm();
    }

    @Override
    public VertxBuilder createVertxBuilder(VertxOptions options) {
      return BazaarApplication.createVertxBuilder(options);
    }

    @Override
    public void afterVerticleDeployed(HookContext context) {
      watchdog.disarm();
    }
  }

  static VertxBuilder createVertxBuilder(VertxOptions options) {
    // a native transport (epoll) where its library is on the class path (the gateway ships it), else NIO
    options.setPreferNativeTransport(true);
    VertxBuilder builder = clusteredOn(ClusterSettings.fromEnvironment(System.getenv()), options.setMetricsOptions(metricsOptions()));
    TracingSettings tracing = TracingSettings.fromEnvironment(System.getenv(), serviceName());
    if (tracing.enabled()) {
      builder.withTracer(new OpenTelemetryTracingFactory(Tracing.install(tracing)));
    }
    return builder;
  }

  /**
   * Vert.x joined to the cluster of {@code cluster}: Hazelcast and the event bus both listen on
   * its interface only (cluster.xml sets {@code hazelcast.socket.bind.any=false}).
   */
  static VertxBuilder clusteredOn(ClusterSettings cluster, VertxOptions options) {
    options.getEventBusOptions().setHost(cluster.interfaceAddress()).setClusterPublicHost(cluster.interfaceAddress());
    return Vertx.builder().with(options).withClusterManager(cluster.clusterManager());
  }

  /**
   * The service this JVM runs: {@code BAZAAR_SERVICE_NAME}, else the fat jar's name without
   * {@code -fat.jar} ({@code order-service-fat.jar} → {@code order-service}).
   */
  static String serviceName() {
    String configured = System.getenv("BAZAAR_SERVICE_NAME");
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    try {
      String jar = java.nio.file.Path.of(BazaarApplication.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .getFileName().toString();
      return jar.endsWith("-fat.jar") ? jar.substring(0, jar.length() - "-fat.jar".length()) : "bazaar";
    } catch (java.net.URISyntaxException | RuntimeException e) {
      return "bazaar";
    }
  }

  /**
   * Prometheus metrics labelled by route template, never by raw path (bounded cardinality): the
   * router's route on the server side, {@link dev.bazaar.platform.metrics.HttpClientRoutes} on the
   * client side; event-bus metrics by address (fixed names; reply addresses are not counted).
   * Latency histograms only for the timers of {@link dev.bazaar.platform.metrics.MeterFilters}
   * ({@code publishQuantiles} stays off: it would give every timer and size summary ~70-270 buckets).
   */
  public static MicrometerMetricsOptions metricsOptions() {
    MicrometerMetricsOptions options = new MicrometerMetricsOptions()
      .setEnabled(true)
      .setJvmMetricsEnabled(true)
      .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true).setPublishQuantiles(false))
      .setLabels(java.util.EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE, Label.POOL_TYPE, Label.POOL_NAME,
        Label.NAMESPACE, Label.EB_ADDRESS, Label.EB_SIDE))
      .setClientRequestTagsProvider(dev.bazaar.platform.metrics.HttpClientRoutes::tags);
    dev.bazaar.platform.metrics.Metrics.prepareRegistry(options);
    return options;
  }
}
