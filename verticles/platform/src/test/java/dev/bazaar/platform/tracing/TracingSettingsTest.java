package dev.bazaar.platform.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TracingSettingsTest {

  @Test
  void defaultsTraceEverythingToTheLocalZipkinUnderTheJarsName() {
    TracingSettings settings = TracingSettings.fromEnvironment(Map.of(), "order-service");
    assertThat(settings.enabled()).isTrue();
    assertThat(settings.sampleRatio()).isEqualTo(1.0);
    assertThat(settings.zipkinSpans()).hasToString("http://127.0.0.1:9411/api/v2/spans");
    assertThat(settings.serviceName()).isEqualTo("order-service");
  }

  @Test
  void theEnvironmentOverridesAndBadValuesAreRefusedClearly() {
    TracingSettings settings = TracingSettings.fromEnvironment(Map.of("BAZAAR_TRACING", "OFF",
      "BAZAAR_TRACING_SAMPLE_RATIO", "0.25", "BAZAAR_ZIPKIN_URL", "http://zipkin:9411/", "BAZAAR_SERVICE_NAME", "orders-eu"), "x");
    assertThat(settings.enabled()).isFalse();
    assertThat(settings.sampleRatio()).isEqualTo(0.25);
    assertThat(settings.zipkinSpans()).hasToString("http://zipkin:9411/api/v2/spans");
    assertThat(settings.serviceName()).isEqualTo("orders-eu");
    assertThatThrownBy(() -> TracingSettings.fromEnvironment(Map.of("BAZAAR_TRACING", "maybe"), "x"))
      .hasMessageContaining("BAZAAR_TRACING must be on or off");
    assertThatThrownBy(() -> TracingSettings.fromEnvironment(Map.of("BAZAAR_TRACING_SAMPLE_RATIO", "2"), "x"))
      .hasMessageContaining("between 0 and 1");
    assertThatThrownBy(() -> TracingSettings.fromEnvironment(Map.of("BAZAAR_TRACING_SAMPLE_RATIO", "all"), "x"))
      .hasMessageContaining("must be a number");
  }

  @Test
  void probesAndScrapesAreNeverSampledEverythingElseIs() {
    Sampler sampler = new ProbeFilteringSampler(Sampler.alwaysOn());
    assertThat(decision(sampler, SpanKind.SERVER, "/health/ready")).isEqualTo(SamplingDecision.DROP);
    assertThat(decision(sampler, SpanKind.SERVER, "/metrics")).isEqualTo(SamplingDecision.DROP);
    assertThat(decision(sampler, SpanKind.SERVER, "/api/v1/orders")).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
    assertThat(decision(sampler, SpanKind.CLIENT, "/metrics")).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
  }

  private static SamplingDecision decision(Sampler sampler, SpanKind kind, String path) {
    return sampler.shouldSample(Context.root(), "4bf92f3577b34da6a3ce929d0e0e4736", "get", kind,
      Attributes.of(AttributeKey.stringKey("url.path"), path), List.of()).getDecision();
  }
}
