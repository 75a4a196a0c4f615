package dev.bazaar.platform.http;

import dev.bazaar.platform.config.HttpSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.concurrent.TimeUnit;

/** Routers and servers with Bazaar's defaults: trace context, body limit, problem+json for every error, idle timeouts. */
public final class HttpServers {
  private HttpServers() {
  }

  /** A router whose every error, including 404, 405 and 413, is a problem, and whose bodies are bounded. */
  public static Router router(Vertx vertx, HttpSettings settings) {
    Router router = Router.router(vertx);
    router.route().handler(new TraceContext());
    router.route().handler(BodyHandler.create(false).setBodyLimit(settings.bodyLimitBytes()));
    router.route().failureHandler(Problems::handle);
    for (int status : new int[] {400, 401, 403, 404, 405, 413, 415, 500, 501, 502, 503}) {
      router.errorHandler(status, Problems::handle);
    }
    return router;
  }

  public static Future<HttpServer> listen(Vertx vertx, Router router, HttpSettings settings) {
    HttpServerOptions options = new HttpServerOptions()
      .setHost(settings.host())
      .setPort(settings.port())
      .setIdleTimeout(settings.idleTimeoutSeconds())
      .setIdleTimeoutUnit(TimeUnit.SECONDS)
      .setTcpNoDelay(true)
      .setMaxHeaderSize(16 * 1024)
      .setMaxInitialLineLength(8 * 1024)
      .setDecompressionSupported(false)
      .setCompressionSupported(false);
    return vertx.createHttpServer(options).requestHandler(router).listen();
  }
}
