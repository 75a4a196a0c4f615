package dev.bazaar.platform.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;

import java.util.List;

/**
 * Leaves health probes and metric scrapes untraced (they come every few seconds from every
 * watcher and would bury the traces that matter), and samples everything else as {@code delegate} does.
 */
final class ProbeFilteringSampler implements Sampler {
  private static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");

  private final Sampler delegate;

  ProbeFilteringSampler(Sampler delegate) {
    this.delegate = delegate;
  }

  @Override
  public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
                                     Attributes attributes, List<LinkData> parentLinks) {
    if (spanKind == SpanKind.SERVER) {
      String path = attributes.get(URL_PATH);
      if (path != null && (path.startsWith("/health") || path.equals("/metrics"))) {
        return SamplingResult.drop();
      }
    }
    return delegate.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
  }

  @Override
  public String getDescription() {
    return "ProbeFiltering{" + delegate.getDescription() + "}";
  }
}
