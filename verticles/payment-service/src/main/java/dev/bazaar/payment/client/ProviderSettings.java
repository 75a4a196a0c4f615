package dev.bazaar.payment.client;

import dev.bazaar.platform.config.ClientSettings;
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
 * @param host     from {@code url}
 * @param port     from {@code url} (default 80/443)
 * @param ssl      {@code url} is https
 * @param basePath path prefix of {@code url} ("" if none)
 * @param calls    how calls to it are guarded: the keys of a service's {@code client} section, read the same
 *                 way, with the provider's defaults ({@link #CALL_DEFAULTS}): a bound of one call (connect,
 *                 send, answer), connections and waiting requests at most, the breaker {@code payment-provider}
 *                 (failures within 10 s: 5xx, transport, timeouts) and the retry delay (exponential, full
 *                 jitter). A call is one attempt: the charger retries it within the payment's deadline, so
 *                 {@code maxAttempts} and {@code retryBudgetMs} do not apply.
 */
public record ProviderSettings(String host, int port, boolean ssl, String basePath, ClientSettings calls) {
  public static final String DEFAULT_URL = "http://127.0.0.1:9300";
  public static final ClientSettings CALL_DEFAULTS = new ClientSettings(1000, 1, 100, 2000, 1000, 5, 2000, 32, 256);

  public ProviderSettings {
    if (calls.backoffCapMs() < calls.backoffBaseMs()) {
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
    return new ProviderSettings(uri.getHost(), port, ssl, path, ClientSettings.from(provider, CALL_DEFAULTS));
  }
}
