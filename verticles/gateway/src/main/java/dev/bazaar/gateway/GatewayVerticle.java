package dev.bazaar.gateway;

import com.nimbusds.jose.jwk.JWKSet;
import dev.bazaar.gateway.cors.CorsPolicy;
import dev.bazaar.gateway.live.OpsFeed;
import dev.bazaar.gateway.ratelimit.RateLimiter;
import dev.bazaar.platform.http.HttpServers;
import dev.bazaar.platform.metrics.Metrics;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import dev.bazaar.platform.auth.JwtVerifier;
import dev.bazaar.platform.config.ConfigLoader;
import dev.bazaar.platform.discovery.ServiceRegistry;
import dev.bazaar.platform.http.Problems;
import dev.bazaar.platform.resilience.CircuitBreakers;
import dev.bazaar.platform.resilience.ServiceClient;
import dev.bazaar.platform.resilience.UpstreamRequest;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

import java.text.ParseException;

/**
 * The API gateway. This verticle holds what the whole JVM shares (discovery view, circuit
 * breakers, rate limiter, token verifier) and deploys one {@link GatewayHttpVerticle} per event
 * loop, all serving the same port.
 */
public class GatewayVerticle extends VerticleBase {
  public static final String NAME = "gateway";

  private ServiceRegistry registry;
  private ServiceClient jwksClient;
  private String httpDeployment;
  private OpsFeed opsFeed;

  @Override
  public Future<?> start() {
    return ConfigLoader.load(vertx, NAME, config())
      .map(GatewayConfig::from)
      .compose(config -> ServiceRegistry.create(vertx).compose(created -> {
        registry = created;
        CircuitBreakers breakers = new CircuitBreakers(vertx, config.client());
        jwksClient = new ServiceClient(vertx, registry, breakers, config.client());
        JwtVerifier verifier = new JwtVerifier(config.auth(), () -> jwks(config));
        verifier.refresh();
        return OpsFeed.start(vertx, registry, breakers, config.live()).compose(feed -> {
          opsFeed = feed;
          Shared shared = new Shared(config, registry, breakers, verifier, RateLimiter.from(config.rateLimit()),
            CorsPolicy.from(config.cors()), feed);
          return serveManagement(shared)
            .compose(v -> vertx.deployVerticle(() -> new GatewayHttpVerticle(shared), new DeploymentOptions().setInstances(config.instances())));
        });
      }))
      .onSuccess(id -> httpDeployment = id);
  }

  /** The management port: metrics and health for operators and scrapers, never on the public port. */
  private Future<Void> serveManagement(Shared shared) {
    Router router = HttpServers.router(vertx, shared.config().management());
    GatewayHttpVerticle.readiness(vertx, shared).mount(router);
    Metrics.mount(router);
    return HttpServers.listen(vertx, router, shared.config().management()).mapEmpty();
  }

  @Override
  public Future<?> stop() {
    Future<Void> undeployed = httpDeployment == null ? Future.succeededFuture() : vertx.undeploy(httpDeployment);
    return undeployed
      .eventually(() -> opsFeed == null ? Future.succeededFuture() : opsFeed.close())
      .eventually(() -> jwksClient == null ? Future.succeededFuture() : jwksClient.close())
      .eventually(() -> registry == null ? Future.succeededFuture() : registry.close());
  }

  private Future<JWKSet> jwks(GatewayConfig config) {
    return jwksClient.send(config.auth().jwksService(), UpstreamRequest.get(config.auth().jwksPath()))
      .recover(e -> Future.failedFuture(Problems.fromUpstreamFailure(config.auth().jwksService(), e)))
      .map(response -> {
        try {
          return JWKSet.parse(response.body().toString());
        } catch (ParseException e) {
          throw new IllegalStateException("invalid JWKS from " + config.auth().jwksService(), e);
        }
      });
  }

  /** What every event loop of the gateway shares. */
  record Shared(GatewayConfig config, ServiceRegistry registry, CircuitBreakers breakers, JwtVerifier verifier,
                RateLimiter rateLimiter, Handler<RoutingContext> cors, OpsFeed opsFeed) {
  }
}
