package dev.bazaar.platform.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;

/**
 * The first handler of every router, before any route is chosen: too many headers is a 431 (their
 * bytes and the request line are bounded by the server itself, see {@link HttpServers}), and a path
 * whose meaning depends on who parses it is a 400: path parameters ({@code ;}), encoded slashes or
 * backslashes, backslashes, NUL and control characters. Everything else is routed on the normalized
 * path ({@code RoutingContext.normalizedPath()}: dot segments, {@code %2e%2e} and {@code //} resolved).
 */
public final class EdgeGuard implements Handler<RoutingContext> {
  private final int maxHeaders;

  public EdgeGuard(int maxHeaders) {
    this.maxHeaders = maxHeaders;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.request().headers().size() > maxHeaders) {
      ctx.response().putHeader("Connection", "close");
      ctx.fail(tooManyHeaders(maxHeaders));
      return;
    }
    String ambiguity = ambiguity(ctx.request().path());
    if (ambiguity != null) {
      ctx.fail(ApiException.badRequest("The path " + ambiguity + "."));
      return;
    }
    ctx.next();
  }

  static ApiException tooManyHeaders(int maxHeaders) {
    return new ApiException(431, "header-fields-too-large", "Request header fields too large",
      "The request has more than " + maxHeaders + " headers.", null, Map.of("Connection", "close"));
  }

  /** Why {@code path} could mean different things to different parsers, or null when it cannot. */
  static String ambiguity(String path) {
    if (path == null || path.isEmpty() || path.charAt(0) != '/') {
      return "must start with /";
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == ';') {
        return "must not hold path parameters (;)";
      }
      if (c == '\\') {
        return "must not hold backslashes";
      }
      if (c < 0x20 || c == 0x7f) {
        return "must not hold control characters";
      }
      if (c == '%' && i + 2 < path.length()) {
        String encoded = path.substring(i + 1, i + 3).toLowerCase();
        if (encoded.equals("2f") || encoded.equals("5c")) {
          return "must not hold encoded slashes";
        }
        if (encoded.equals("00") || encoded.equals("3b") || encoded.charAt(0) < '2' || encoded.equals("7f")) {
          return "must not hold encoded control characters or ;";
        }
        if (encoded.equals("25")) {
          return "must not be encoded twice";
        }
      }
    }
    return null;
  }
}
