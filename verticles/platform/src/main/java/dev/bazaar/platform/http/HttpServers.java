package dev.bazaar.platform.http;

import dev.bazaar.platform.config.EdgeLimits;
import dev.bazaar.platform.config.HttpSettings;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Routers and servers with Bazaar's defaults: trace context, the edge limits of DESIGN §3 (header
 * count and bytes, request line, body, JSON shape, request timeout), problem+json for
 * every error, idle timeouts.
 */
public final class HttpServers {
  private static final int[] PROBLEM_STATUSES = {400, 401, 403, 404, 405, 408, 413, 414, 415, 431, 500, 501, 502, 503};

  private HttpServers() {
  }

  /**
   * A router whose every error, including 404, 405 and 413, is a problem, and whose requests are
   * checked against the edge limits before any route is chosen.
   */
  public static Router router(Vertx vertx, HttpSettings settings) {
    EdgeLimits limits = settings.limits();
    Router router = Router.router(vertx);
    router.route().handler(new TraceContext());
    router.route().handler(new EdgeGuard(limits.maxHeaders()));
    router.route().handler(new RequestTimeout(limits.requestTimeoutMs()));
    router.route().handler(BodyHandler.create(false).setBodyLimit(settings.bodyLimitBytes()));
    router.route().handler(new JsonLimits(limits.maxJsonDepth(), limits.maxJsonArrayItems()));
    router.route().failureHandler(Problems::handle);
    for (int status : PROBLEM_STATUSES) {
      router.errorHandler(status, Problems::handle);
    }
    return router;
  }

  public static Future<HttpServer> listen(Vertx vertx, Router router, HttpSettings settings) {
    EdgeLimits limits = settings.limits();
    HttpServerOptions options = new HttpServerOptions()
      .setHost(settings.host())
      .setPort(settings.port())
      .setIdleTimeout(settings.idleTimeoutSeconds())
      .setIdleTimeoutUnit(TimeUnit.SECONDS)
      .setTcpNoDelay(true)
      .setMaxHeaderSize(limits.maxHeaderBytes())
      .setMaxInitialLineLength(limits.maxRequestLineBytes())
      .setDecompressionSupported(false)
      .setCompressionSupported(false);
    return vertx.createHttpServer(options)
      .invalidRequestHandler(HttpServers::rejectInvalid)
      .requestHandler(router)
      .listen();
  }

  /**
   * What the server answers when Netty could not read the request (line or headers too long,
   * garbage): a problem like any other, then the connection is closed. No route ever sees it.
   */
  static void rejectInvalid(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    ApiException problem;
    if (cause instanceof TooLongHttpLineException) {
      problem = new ApiException(414, "uri-too-long", "URI too long", "The request line is over the limit.");
    } else if (cause instanceof TooLongHttpHeaderException) {
      problem = new ApiException(431, "header-fields-too-large", "Request header fields too large",
        "The request headers are over the limit.");
    } else {
      problem = ApiException.badRequest("The request could not be read as HTTP/1.1.");
    }
    String traceId = Long.toHexString(ThreadLocalRandom.current().nextLong()) + Long.toHexString(ThreadLocalRandom.current().nextLong());
    request.response()
      .setStatusCode(problem.status())
      .putHeader("Content-Type", Problems.CONTENT_TYPE)
      .putHeader("Connection", "close")
      .end(Problems.body(problem, null, traceId).toBuffer())
      .onComplete(done -> request.connection().shutdown(0, TimeUnit.MILLISECONDS));
  }
}
