package dev.bazaar.gateway;

import dev.bazaar.gateway.cors.CorsPolicy;
import dev.bazaar.gateway.live.OpsFeed;
import dev.bazaar.gateway.proxy.AccessLogWriter;
import dev.bazaar.gateway.ratelimit.RateLimiter;
import dev.bazaar.platform.auth.JwtVerifier;
import dev.bazaar.platform.boot.ServiceRuntime;
import dev.bazaar.platform.boot.ServiceVerticle;
import dev.bazaar.platform.discovery.ServiceRegistry;
import dev.bazaar.platform.health.Health;
import dev.bazaar.platform.resilience.CircuitBreakers;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.util.TreeSet;

/**
 * The API gateway, a service like the others: its runtime holds what the whole JVM shares
 * (discovery view, circuit breakers, token verifier, readiness) and serves the management port
 * (metrics, health; not published in discovery). It adds the rate limiter and deploys one
 * {@link GatewayHttpVerticle} per event loop, all serving the public port.
 */
public class GatewayVerticle extends ServiceVerticle<GatewayConfig> {
  public static final String NAME = "gateway";

  public GatewayVerticle() {
    super(NAME, GatewayConfig::from);
  }

  @Override
  protected Future<?> declare(ServiceRuntime runtime, GatewayConfig config) {
    runtime.notDiscoverable();
    ServiceRegistry registry = runtime.registry();
    // ready when every required service (default: every routed one) has a live instance
    for (String service : new TreeSet<>(config.requiredServices())) {
      runtime.health().check(service, () -> registry.instances(service).isEmpty()
        ? Future.failedFuture("no instance in discovery")
        : Future.succeededFuture());
    }
    runtime.router();
    return OpsFeed.start(vertx, registry, runtime.breakers(), config.live()).compose(feed -> {
      runtime.closing(feed::close);
      AccessLogWriter accessLog = config.accessLog() ? AccessLogWriter.toStandardOutput() : null;
      if (accessLog != null) {
        // pushed before the HTTP verticles' undeploy, so it runs after it: the last requests' lines are written
        runtime.closing(() -> vertx.executeBlocking(() -> {
          accessLog.close();
          return null;
        }));
      }
      Shared shared = new Shared(config, registry, runtime.breakers(), runtime.jwtVerifier(), runtime.health(),
        RateLimiter.from(config.rateLimit()), CorsPolicy.from(config.cors()), feed, accessLog);
      return vertx.deployVerticle(() -> new GatewayHttpVerticle(shared), new DeploymentOptions().setInstances(config.instances()))
        .onSuccess(id -> runtime.closing(() -> vertx.undeploy(id)));
    });
  }

  /** What every event loop of the gateway shares. */
  record Shared(GatewayConfig config, ServiceRegistry registry, CircuitBreakers breakers, JwtVerifier verifier, Health health,
                RateLimiter rateLimiter, Handler<RoutingContext> cors, OpsFeed opsFeed, AccessLogWriter accessLog) {
  }
}
