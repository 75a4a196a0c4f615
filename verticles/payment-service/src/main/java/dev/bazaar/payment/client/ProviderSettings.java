package dev.bazaar.payment.client;

import dev.bazaar.platform.config.ConfigException;
import dev.bazaar.platform.config.ConfigReader;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The external payment provider, reached by URL (it is not in discovery), e.g.
 * <pre>{@code
 * "provider": {"url": "${BAZAAR_PROVIDER_URL:http://127.0.0.1:9300}", "timeoutMs": 1000}
 * }</pre>
 *
 * @param host               from {@code url}
 * @param port               from {@code url} (default 80/443)
 * @param ssl                {@code url} is https
 * @param basePath           path prefix of {@code url} ("" if none)
 * @param timeoutMs          bound of one call (connect, send, answer)
 * @param poolSize           connections to the provider at most
 * @param maxWaitQueue       requests waiting for a connection at most
 * @param breakerMaxFailures failures (5xx, transport, timeouts) within 10 s that open the breaker {@code payment-provider}
 * @param breakerResetMs     how long it stays open before a trial call
 * @param backoffBaseMs      first retry delay (exponential, full jitter)
 * @param backoffCapMs       the cap of that delay
 */
public record ProviderSettings(String host, int port, boolean ssl, String basePath, long timeoutMs, int poolSize,
                               int maxWaitQueue, int breakerMaxFailures, long breakerResetMs, long backoffBaseMs,
                               long backoffCapMs) {
  public static final String DEFAULT_URL = "http://127.0.0.1:9300";

  public ProviderSettings {
    if (backoffCapMs < backoffBaseMs) {
      throw new ConfigException("provider.backoffCapMs must be at least provider.backoffBaseMs");
    }
  }

  public static ProviderSettings from(ConfigReader provider) {
    String url = provider.optionalString("url", DEFAULT_URL);
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new ConfigException("provider.url is not a URL: " + url);
    }
    String scheme = uri.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme) || uri.getHost() == null) {
      throw new ConfigException("provider.url must be http(s)://host[:port][/path], got " + url);
    }
    boolean ssl = "https".equals(scheme);
    int port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return new ProviderSettings(uri.getHost(), port, ssl, path,
      provider.longValue("timeoutMs", 1000, 10, 120_000),
      provider.integer("poolSize", 32, 1, 1000),
      provider.integer("maxWaitQueue", 256, 1, 100_000),
      provider.integer("breakerMaxFailures", 5, 1, 1000),
      provider.longValue("breakerResetMs", 2000, 100, 600_000),
      provider.longValue("backoffBaseMs", 100, 1, 60_000),
      provider.longValue("backoffCapMs", 2000, 1, 60_000));
  }
}
