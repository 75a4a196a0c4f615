package dev.bazaar.provider;

import dev.bazaar.platform.config.ConfigException;
import dev.bazaar.platform.config.ConfigReader;
import dev.bazaar.platform.config.HttpSettings;
import dev.bazaar.provider.domain.FaultSettings;

/**
 * payment-provider configuration ({@code conf/payment-provider.json}), validated at start.
 *
 * @param http       where it listens: a fixed, well-known port (callers reach it by URL, not discovery)
 * @param maxCharges how many charges the in-memory book keeps before forgetting the oldest
 * @param faults     the faults injected from the start (changeable at runtime via {@code /admin/faults})
 */
public record PaymentProviderConfig(HttpSettings http, int maxCharges, FaultSettings faults) {
  public static final int DEFAULT_PORT = 9300;

  public static PaymentProviderConfig from(ConfigReader config) {
    ConfigReader http = config.section("http");
    ConfigReader charges = config.section("charges");
    ConfigReader faults = config.section("faults");
    HttpSettings base = HttpSettings.from(http);
    HttpSettings settings = new HttpSettings(base.host(), http.integer("port", DEFAULT_PORT, 0, 65535), base.publicHost(),
      http.integer("bodyLimitBytes", 64 * 1024, 1024, 1024 * 1024), base.idleTimeoutSeconds(), base.limits());
    return new PaymentProviderConfig(settings, charges.integer("maxCharges", 100_000, 1, 10_000_000), faults(faults));
  }

  private static FaultSettings faults(ConfigReader faults) {
    try {
      return new FaultSettings(
        faults.longValue("latencyMs", 0, 0, FaultSettings.MAX_LATENCY_MS),
        faults.longValue("latencyJitterMs", 0, 0, FaultSettings.MAX_LATENCY_MS),
        rate(faults, "errorRate"),
        rate(faults, "timeoutRate"),
        faults.longValue("timeoutMs", FaultSettings.DEFAULT_TIMEOUT_MS, FaultSettings.MIN_TIMEOUT_MS, FaultSettings.MAX_TIMEOUT_MS),
        faults.bool("outage", false),
        faults.integer("retryAfterSeconds", FaultSettings.DEFAULT_RETRY_AFTER_SECONDS, 1, FaultSettings.MAX_RETRY_AFTER_SECONDS));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("faults: " + e.getMessage());
    }
  }

  /** A fraction 0.0..1.0, as a JSON number or a string (placeholders resolve to strings). */
  private static double rate(ConfigReader faults, String key) {
    String raw = faults.optionalString(key, "0");
    try {
      double value = Double.parseDouble(raw.trim());
      if (FaultSettings.isRate(value)) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigException("faults." + key + " must be a number from 0.0 to 1.0, got '" + raw + "'");
  }
}
