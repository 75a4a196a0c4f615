package dev.bazaar.platform.config;

/**
 * The HTTP server of a service: bind address, port (0 = ephemeral, the default for services),
 * the address published in discovery, and the limits every server must have.
 */
public record HttpSettings(String host, int port, String publicHost, int bodyLimitBytes, int idleTimeoutSeconds) {

  public static HttpSettings from(ConfigReader http) {
    return new HttpSettings(
      http.optionalString("host", "127.0.0.1"),
      http.integer("port", 0, 0, 65535),
      http.optionalString("publicHost", "127.0.0.1"),
      http.integer("bodyLimitBytes", 1024 * 1024, 1024, 64 * 1024 * 1024),
      http.integer("idleTimeoutSeconds", 60, 1, 3600));
  }
}
