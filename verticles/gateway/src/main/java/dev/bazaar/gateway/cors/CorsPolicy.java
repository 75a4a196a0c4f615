package dev.bazaar.gateway.cors;

import dev.bazaar.platform.config.ConfigException;
import dev.bazaar.platform.config.ConfigReader;
import dev.bazaar.platform.http.ApiException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;

import java.util.List;
import java.util.Set;

/**
 * CORS at the gateway, from the allow-list {@code cors.allowedOrigins} of conf/gateway.json
 * ({@code BAZAAR_CORS_ORIGINS}, none by default). Preflights are answered here and never reach a
 * service. With origins listed, vertx-web's {@link CorsHandler} does the work (an origin off the
 * list is a 403 problem). With none, a preflight is a 403 problem and other requests go on without
 * CORS headers, so a browser on another origin cannot read any answer. No credentials mode: tokens
 * travel in the Authorization header, never in cookies.
 */
public final class CorsPolicy {
  private static final Set<String> REQUEST_HEADERS = Set.of("Authorization", "Content-Type", "Idempotency-Key", "traceparent");
  private static final Set<String> EXPOSED_HEADERS = Set.of("Location", "Retry-After", "traceparent",
    "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset");
  private static final Set<HttpMethod> METHODS = Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE);

  private CorsPolicy() {
  }

  public static Handler<RoutingContext> from(ConfigReader cors) {
    List<String> origins = cors.strings("allowedOrigins");
    for (String origin : origins) {
      if (origin.equals("*") || !origin.matches("https?://[A-Za-z0-9.-]+(:\\d{1,5})?")) {
        throw new ConfigException("cors.allowedOrigins: '" + origin + "' must be a scheme://host[:port] origin (no wildcards)");
      }
    }
    if (origins.isEmpty()) {
      return CorsPolicy::noCrossOrigin;
    }
    return CorsHandler.create()
      .addOrigins(origins)
      .allowedMethods(METHODS)
      .allowedHeaders(REQUEST_HEADERS)
      .exposedHeaders(EXPOSED_HEADERS)
      .maxAgeSeconds(cors.integer("maxAgeSeconds", 600, 0, 86_400));
  }

  private static void noCrossOrigin(RoutingContext ctx) {
    boolean preflight = ctx.request().method() == HttpMethod.OPTIONS
      && ctx.request().getHeader("Origin") != null
      && ctx.request().getHeader("Access-Control-Request-Method") != null;
    if (preflight) {
      ctx.fail(ApiException.forbidden("Cross-origin requests are not allowed from " + ctx.request().getHeader("Origin") + "."));
    } else {
      ctx.next();
    }
  }
}
