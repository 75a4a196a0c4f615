package dev.bazaar.platform.tracing;

import java.net.URI;
import java.util.Map;

/**
 * How this JVM traces, from the environment (read before Vert.x starts, so not from the service's
 * JSON config): {@code BAZAAR_TRACING} ({@code on} by default, {@code off} starts no tracer at all),
 * {@code BAZAAR_TRACING_SAMPLE_RATIO} (0..1, default 1: every trace, as suits a local run),
 * {@code BAZAAR_ZIPKIN_URL} (default {@code http://127.0.0.1:9411}), and the service name spans
 * carry ({@code BAZAAR_SERVICE_NAME}, else the fat jar's name without {@code -fat.jar}).
 */
public record TracingSettings(boolean enabled, double sampleRatio, URI zipkinSpans, String serviceName,
                              long exportDelayMs) {

  public static TracingSettings fromEnvironment(Map<String, String> env, String defaultServiceName) {
    String mode = env.getOrDefault("BAZAAR_TRACING", "on").trim().toLowerCase(java.util.Locale.ROOT);
    if (!mode.equals("on") && !mode.equals("off")) {
      throw new IllegalArgumentException("BAZAAR_TRACING must be on or off, not '" + mode + "'");
    }
    double ratio;
    try {
      ratio = Double.parseDouble(env.getOrDefault("BAZAAR_TRACING_SAMPLE_RATIO", "1"));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("BAZAAR_TRACING_SAMPLE_RATIO must be a number between 0 and 1");
    }
    if (!(ratio >= 0 && ratio <= 1)) {
      throw new IllegalArgumentException("BAZAAR_TRACING_SAMPLE_RATIO must be between 0 and 1, not " + ratio);
    }
    String zipkin = env.getOrDefault("BAZAAR_ZIPKIN_URL", "http://127.0.0.1:9411").replaceAll("/+$", "");
    URI spans;
    try {
      spans = URI.create(zipkin + "/api/v2/spans");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("BAZAAR_ZIPKIN_URL is not a URL: " + zipkin);
    }
    String service = env.getOrDefault("BAZAAR_SERVICE_NAME", defaultServiceName);
    long delay = Long.parseLong(env.getOrDefault("BAZAAR_TRACING_EXPORT_DELAY_MS", "1000"));
    return new TracingSettings(mode.equals("on"), ratio, spans, service, Math.max(10, Math.min(delay, 60_000)));
  }
}
