package dev.bazaar.gateway;

import dev.bazaar.gateway.admin.ServicesView;
import dev.bazaar.gateway.aggregate.UserOrdersAggregator;
import dev.bazaar.gateway.auth.GatewayAuth;
import dev.bazaar.gateway.live.LiveRoutes;
import dev.bazaar.gateway.proxy.AccessLog;
import dev.bazaar.gateway.proxy.Backends;
import dev.bazaar.gateway.proxy.ProxyHandler;
import dev.bazaar.platform.http.HttpServers;
import dev.bazaar.platform.resilience.EventBusClient;
import dev.bazaar.platform.resilience.ServiceClient;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.ext.web.Router;

/** One event loop's share of the gateway: its own HTTP client, the shared everything else. */
public class GatewayHttpVerticle extends VerticleBase {
  private final GatewayVerticle.Shared shared;
  private ServiceClient client;

  GatewayHttpVerticle(GatewayVerticle.Shared shared) {
    this.shared = shared;
  }

  @Override
  public Future<?> start() {
    GatewayConfig config = shared.config();
    client = new ServiceClient(vertx, shared.registry(), shared.breakers(), config.service().client());
    EventBusClient bus = new EventBusClient(vertx, shared.breakers(), config.service().client());
    Backends backends = new Backends(new GatewayAuth(shared.verifier(), shared.rateLimiter()), client, bus);

    // the public port serves /api/**, /health/*, /eventbus and /console/, and nothing else:
    // metrics and other internals are on the management port (the runtime's server, GatewayVerticle)
    Router router = HttpServers.router(vertx, config.http());
    if (shared.accessLog() != null) {
      router.route().order(-1).handler(new AccessLog(shared.accessLog()));
    }
    router.route().handler(shared.cors());
    shared.health().mount(router);
    new ServicesView(shared.registry(), shared.breakers(), backends).mount(router);
    new UserOrdersAggregator(backends, config.aggregationPartTimeoutMs()).mount(router);
    new LiveRoutes(vertx, config.http(), shared.verifier(), config.live(), shared.opsFeed()).mount(router);
    router.route("/api/*").handler(new ProxyHandler(config.routes(), backends));
    return HttpServers.listen(vertx, router, config.http());
  }

  @Override
  public Future<?> stop() {
    return client == null ? Future.succeededFuture() : client.close();
  }
}
