package dev.bazaar.gateway.live;

import dev.bazaar.platform.auth.JwtVerifier;
import dev.bazaar.platform.config.HttpSettings;
import dev.bazaar.platform.http.EdgeGuard;
import io.vertx.core.Vertx;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;

/**
 * The live part of the gateway's public port, mounted on each event loop's router: the event-bus
 * bridge at {@code /eventbus} (SockJS, and raw WebSocket at {@code /eventbus/websocket}), guarded
 * by {@link BridgeGuard}; the operations console's static files at {@code /console/}; and the count
 * of orders placed, for {@link OpsFeed}.
 */
public record LiveRoutes(Vertx vertx, HttpSettings http, JwtVerifier verifier, LiveSettings settings, OpsFeed feed) {
  private static final String CONSOLE_CSP = "default-src 'self'; connect-src 'self'; img-src 'self' data:; "
    + "style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

  /** Mounts before the API proxy, on the calling event loop's router. */
  public void mount(Router router) {
    SockJSBridgeOptions bridge = new SockJSBridgeOptions()
      // nothing inbound is permitted: clients only listen
      .addOutboundPermitted(new PermittedOptions().setAddressRegex(LiveAddresses.NOTIFICATIONS_REGEX))
      .addOutboundPermitted(new PermittedOptions().setAddress(LiveAddresses.OPS_EVENTS))
      .setMaxHandlersPerSocket(settings.maxRegistrations())
      .setMaxAddressLength(64)
      .setPingTimeout(settings.pingTimeoutMs());
    SockJSHandlerOptions sockJs = new SockJSHandlerOptions().setInsertJSESSIONID(false).setRegisterWriteHandler(false);
    BridgeGuard guard = new BridgeGuard(vertx.getOrCreateContext(), verifier, settings, BridgeMetrics.create());
    // Ahead of the router's own chain (HttpServers.router): its request timeout would close a bridge
    // connection once it outlived it. The header-count guard and a body limit (XHR transports) are
    // applied here instead; request line and header bytes stay bounded by the server itself.
    router.route("/eventbus/*").order(-1)
      .handler(BodyHandler.create(false).setBodyLimit(4L * settings.maxFrameBytes()))
      .handler(new EdgeGuard(http.limits().maxHeaders()));
    router.route("/eventbus/*").order(-1).subRouter(SockJSHandler.create(vertx, sockJs).bridge(bridge, guard));

    router.get("/console").handler(ctx -> {
      if (ctx.request().path().endsWith("/")) {
        ctx.next();
      } else {
        ctx.redirect("/console/");
      }
    });
    router.get("/console/*")
      .handler(ctx -> {
        ctx.response().putHeader("Content-Security-Policy", CONSOLE_CSP).putHeader("X-Content-Type-Options", "nosniff");
        ctx.next();
      })
      .handler(StaticHandler.create("console").setCachingEnabled(false).setDirectoryListing(false));

    router.post("/api/v1/orders").handler(ctx -> {
      ctx.addHeadersEndHandler(v -> {
        if (ctx.response().getStatusCode() == 202) {
          feed.orderPlaced();
        }
      });
      ctx.next();
    });
  }
}
