package dev.bazaar.platform.config;

/**
 * The HTTP server of a service: bind address, port (0 = ephemeral, the default for services),
 * the address published in discovery, and the limits every server must have ({@code limits}
 * section of {@code http}, defaults in {@link EdgeLimits#DEFAULTS}).
 */
public record HttpSettings(String host, int port, String publicHost, int bodyLimitBytes, int idleTimeoutSeconds,
                           EdgeLimits limits) {

  /** With the default edge limits. */
  public HttpSettings(String host, int port, String publicHost, int bodyLimitBytes, int idleTimeoutSeconds) {
    this(host, port, publicHost, bodyLimitBytes, idleTimeoutSeconds, EdgeLimits.DEFAULTS);
  }

  public static HttpSettings from(ConfigReader http) {
    return new HttpSettings(
      http.optionalString("host", "127.0.0.1"),
      http.integer("port", 0, 0, 65535),
      http.optionalString("publicHost", "127.0.0.1"),
      http.integer("bodyLimitBytes", 1024 * 1024, 1024, 64 * 1024 * 1024),
      http.integer("idleTimeoutSeconds", 60, 1, 3600),
      EdgeLimits.from(http.section("limits")));
  }
}
