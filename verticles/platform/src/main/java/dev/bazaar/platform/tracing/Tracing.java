package dev.bazaar.platform.tracing;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * OpenTelemetry for this JVM: an SDK exporting to Zipkin (installed as the global instance and
 * given to Vert.x, which then traces HTTP in and out, the event bus and SQL queries), and the
 * few things Vert.x cannot do for us: a unit of work started by something other than a request
 * (a Kafka record, an outbox row) as a span continuing the trace stored with it, and the
 * {@code traceparent} of whatever runs now.
 * <p>
 * Spans live in the Vert.x context (vertx-opentelemetry's context storage), so the current span is
 * the one of the request or event being handled on this context, across every callback of it.
 * When tracing is off nothing is created, ids are all-zero and {@link #traceparent()} is null.
 */
public final class Tracing {
  private static final TextMapGetter<Map<String, String>> MAP_GETTER = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Map<String, String> carrier) {
      return carrier.keySet();
    }

    @Override
    public String get(Map<String, String> carrier, String key) {
      return carrier == null ? null : carrier.get(key);
    }
  };

  private static volatile boolean enabled;
  private static OpenTelemetrySdk installed;

  private Tracing() {
  }

  /**
   * Builds the SDK (Zipkin exporter behind a bounded batch queue: spans are dropped, never waited
   * for, when Zipkin is slow or absent), registers it globally and flushes it at JVM exit.
   */
  public static synchronized OpenTelemetrySdk install(TracingSettings settings) {
    if (installed != null) {
      return installed;
    }
    ZipkinSpanExporter exporter = ZipkinSpanExporter.builder()
      .setEndpoint(settings.zipkinSpans().toString())
      .setReadTimeout(Duration.ofSeconds(5))
      .build();
    SdkTracerProvider provider = SdkTracerProvider.builder()
      .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
        io.opentelemetry.api.common.AttributeKey.stringKey("service.name"), settings.serviceName()))))
      .setSampler(new ProbeFilteringSampler(Sampler.parentBased(Sampler.traceIdRatioBased(settings.sampleRatio()))))
      .addSpanProcessor(BatchSpanProcessor.builder(exporter)
        .setScheduleDelay(Duration.ofMillis(settings.exportDelayMs()))
        .setMaxQueueSize(8192)
        .setMaxExportBatchSize(512)
        .build())
      .build();
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
      .setTracerProvider(provider)
      .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
      .build();
    GlobalOpenTelemetry.set(sdk);
    installed = sdk;
    enabled = true;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> provider.shutdown().join(3, TimeUnit.SECONDS), "tracing-flush"));
    return sdk;
  }

  public static boolean enabled() {
    return enabled;
  }

  static OpenTelemetry openTelemetry() {
    return GlobalOpenTelemetry.get();
  }

  static Tracer tracer() {
    return GlobalOpenTelemetry.getTracer("dev.bazaar");
  }

  /** The span context of what runs now (invalid when nothing is traced). */
  public static SpanContext current() {
    return Span.current().getSpanContext();
  }

  /** W3C {@code traceparent} of what runs now, or null when nothing is traced. */
  public static String traceparent() {
    SpanContext span = current();
    return span.isValid() ? format(span) : null;
  }

  public static String format(SpanContext span) {
    return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex();
  }

  /** The context a stored or received {@code traceparent} continues (root when absent or malformed). */
  public static Context parent(String traceparent) {
    if (!enabled || traceparent == null) {
      return Context.root();
    }
    return openTelemetry().getPropagators().getTextMapPropagator()
      .extract(Context.root(), Collections.singletonMap("traceparent", traceparent), MAP_GETTER);
  }

  /**
   * Starts a span continuing {@code traceparent} (a new trace when null) without making it current:
   * for a step whose end the caller sees (a Kafka send and its ack). {@link Span#getInvalid()} when off.
   */
  public static Span start(String name, SpanKind kind, String traceparent, Map<String, String> attributes) {
    if (!enabled) {
      return Span.getInvalid();
    }
    var builder = tracer().spanBuilder(name).setSpanKind(kind).setParent(parent(traceparent));
    attributes.forEach(builder::setAttribute);
    return builder.startSpan();
  }

  /** Ends {@code span}, recording {@code failure} (may be null) on it. */
  public static void end(Span span, Throwable failure) {
    if (failure != null) {
      span.recordException(failure);
      span.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
    }
    span.end();
  }

  /**
   * Runs {@code work} as a span named {@code name} continuing {@code traceparent} (a new trace when
   * null), on a fresh duplicate of the current Vert.x context so that everything it starts (SQL
   * queries, HTTP and event-bus calls, outbox rows) belongs to that span. The span ends when the
   * returned future completes; a failure is recorded on it. Without tracing it just runs {@code work}.
   */
  public static <T> Future<T> inSpan(Vertx vertx, String name, SpanKind kind, String traceparent,
                                     Map<String, String> attributes, Supplier<Future<T>> work) {
    if (!enabled) {
      return work.get();
    }
    ContextInternal context = ((ContextInternal) vertx.getOrCreateContext()).duplicate();
    Promise<T> promise = context.promise();
    context.runOnContext(v -> {
      var builder = tracer().spanBuilder(name).setSpanKind(kind);
      attributes.forEach(builder::setAttribute);
      Context parent = parent(traceparent);
      Span span = builder.setParent(parent).startSpan();
      // attached to this duplicate context only, which nothing else uses: no scope to close
      parent.with(span).makeCurrent();
      Future<T> result;
      try {
        result = work.get();
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      result.onComplete(ar -> end(span, ar.cause())).onComplete(promise);
    });
    return promise.future();
  }
}
