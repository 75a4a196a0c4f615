package dev.bazaar.platform.config;

/**
 * The limits every HTTP server enforces before a request reaches a route (DESIGN §3 "Edges"):
 * header count and bytes (431), request-line bytes (414), JSON nesting depth and array length (400),
 * and how long a request may take as a whole (408 when the client is the slow one, else 503).
 * Connections that send nothing are closed by the server's idle timeout. The body limit (413) stays with {@link HttpSettings#bodyLimitBytes()}.
 */
public record EdgeLimits(int maxHeaders, int maxHeaderBytes, int maxRequestLineBytes, int maxJsonDepth,
                         int maxJsonArrayItems, int requestTimeoutMs) {

  public static final EdgeLimits DEFAULTS = new EdgeLimits(100, 16 * 1024, 8 * 1024, 32, 1000, 30_000);

  public static EdgeLimits from(ConfigReader limits) {
    return new EdgeLimits(
      limits.integer("maxHeaders", DEFAULTS.maxHeaders, 8, 1000),
      limits.integer("maxHeaderBytes", DEFAULTS.maxHeaderBytes, 1024, 1024 * 1024),
      limits.integer("maxRequestLineBytes", DEFAULTS.maxRequestLineBytes, 256, 1024 * 1024),
      limits.integer("maxJsonDepth", DEFAULTS.maxJsonDepth, 2, 512),
      limits.integer("maxJsonArrayItems", DEFAULTS.maxJsonArrayItems, 1, 1_000_000),
      limits.integer("requestTimeoutMs", DEFAULTS.requestTimeoutMs, 100, 3_600_000));
  }
}
