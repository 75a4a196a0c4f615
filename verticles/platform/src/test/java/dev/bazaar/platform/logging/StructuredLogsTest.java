package dev.bazaar.platform.logging;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

import static net.logstash.logback.argument.StructuredArguments.kv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Platform's logback.xml, as every service runs it: the format switch, the trace ids, the JSON fields. */
class StructuredLogsTest {
  private final SdkTracerProvider tracing = SdkTracerProvider.builder().build();

  @AfterEach
  void closeTracing() {
    tracing.close();
  }

  @Test
  void aJsonLineCarriesTheIdsOfTheSpanItWasWrittenIn() throws JoranException {
    Span span = tracing.get("test").spanBuilder("request").startSpan();
    List<JsonObject> lines = jsonLines(logged("json", log -> {
      try (Scope ignored = span.makeCurrent()) {
        log.info("reserved {}", kv("orderId", "o-1"));
      } finally {
        span.end();
      }
      log.info("idle");
    }));

    assertThat(lines).hasSize(2);
    SpanContext ids = span.getSpanContext();
    JsonObject traced = lines.get(0);
    assertThat(traced.getString("message")).isEqualTo("reserved orderId=o-1");
    assertThat(traced.getString("orderId")).isEqualTo("o-1");
    assertThat(traced.getString("level")).isEqualTo("INFO");
    assertThat(traced.getString("logger_name")).isEqualTo("dev.bazaar.test");
    assertThat(traced.getString("thread_name")).isEqualTo(Thread.currentThread().getName());
    assertThat(traced.getString("@timestamp")).isNotBlank();
    assertThat(traced.getString("trace_id")).isEqualTo(ids.getTraceId());
    assertThat(traced.getString("span_id")).isEqualTo(ids.getSpanId());

    JsonObject untraced = lines.get(1);
    assertThat(untraced.getString("message")).isEqualTo("idle");
    assertThat(untraced.fieldNames()).doesNotContain("trace_id", "span_id");
  }

  @Test
  void jsonIsTheDefault() throws JoranException {
    assumeTrue(System.getenv("BAZAAR_LOG_FORMAT") == null, "BAZAAR_LOG_FORMAT is set in this environment");
    assertThat(jsonLines(logged((String) null, log -> log.info("hello")))).singleElement()
      .satisfies(line -> assertThat(line.getString("message")).isEqualTo("hello"));
  }

  @Test
  void anExceptionAndTheMdcAreFieldsOfTheSameLine() throws JoranException {
    List<JsonObject> lines = jsonLines(logged("json", log -> {
      log.getLoggerContext().getMDCAdapter().put("paymentId", "p-7");
      log.atError().setMessage("charge failed").setCause(new IllegalStateException("card declined")).log();
    }));

    assertThat(lines).singleElement().satisfies(line -> {
      assertThat(line.getString("message")).isEqualTo("charge failed");
      assertThat(line.getString("level")).isEqualTo("ERROR");
      assertThat(line.getString("paymentId")).isEqualTo("p-7");
      assertThat(line.getString("stack_trace")).startsWith("java.lang.IllegalStateException: card declined");
    });
  }

  @Test
  void theServiceIsNamedOnceTheLauncherSetsIt() throws JoranException {
    assumeTrue(System.getenv(ServiceNameJsonProvider.ENV) == null, "BAZAAR_SERVICE_NAME is set in this environment");
    List<JsonObject> lines;
    try {
      lines = jsonLines(logged("json", log -> {
        log.info("before main");
        System.setProperty(ServiceNameJsonProvider.PROPERTY, "order-service");
        log.info("after");
      }));
    } finally {
      System.clearProperty(ServiceNameJsonProvider.PROPERTY);
    }

    assertThat(lines.get(0).fieldNames()).doesNotContain("service");
    assertThat(lines.get(1).getString("service")).isEqualTo("order-service");
  }

  @Test
  void textIsForHumansAndStillNamesTheTrace() throws JoranException {
    Span span = tracing.get("test").spanBuilder("request").startSpan();
    String[] lines = logged("TEXT", log -> {
      try (Scope ignored = span.makeCurrent()) {
        log.info("reserved {}", kv("orderId", "o-1"));
      } finally {
        span.end();
      }
      log.warn("idle");
    }).split("\n");

    SpanContext ids = span.getSpanContext();
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[.+] dev\\.bazaar\\.test - reserved orderId=o-1"
      + " trace=" + ids.getTraceId() + " span=" + ids.getSpanId());
    assertThat(lines[1]).endsWith("WARN  [" + Thread.currentThread().getName() + "] dev.bazaar.test - idle");
  }

  @Test
  void anUnknownFormatFallsBackToJsonWithAWarning() throws JoranException {
    LoggerContext context = configured("xml");
    assertThat(new StatusUtil(context).getHighestLevel(0)).isEqualTo(Status.WARN);
    assertThat(jsonLines(logged(context, log -> log.info("hello")))).singleElement()
      .satisfies(line -> assertThat(line.getString("message")).isEqualTo("hello"));
  }

  @Test
  void aDisabledCallLeavesTheMdcAlone() {
    LoggerContext context = newContext();
    TraceMdcTurboFilter filter = new TraceMdcTurboFilter();
    filter.setContext(context);
    filter.start();
    context.addTurboFilter(filter);
    Logger log = context.getLogger("dev.bazaar.test");
    log.setLevel(Level.INFO);

    Span span = tracing.get("test").spanBuilder("request").startSpan();
    try (Scope ignored = span.makeCurrent()) {
      log.debug("skipped");
      assertThat(context.getMDCAdapter().get(TraceMdcTurboFilter.TRACE_ID)).isNull();
      log.info("written");
      assertThat(context.getMDCAdapter().get(TraceMdcTurboFilter.TRACE_ID)).isEqualTo(span.getSpanContext().getTraceId());
    } finally {
      span.end();
    }
    log.info("after");
    assertThat(context.getMDCAdapter().get(TraceMdcTurboFilter.TRACE_ID)).isNull();
  }

  /** The gateway's access log: written later on AsyncAppender's thread, with the ids of the calling one. */
  @Test
  void anAsynchronousAppenderKeepsTheIdsOfTheCallingThread() {
    LoggerContext context = newContext();
    TraceMdcTurboFilter filter = new TraceMdcTurboFilter();
    filter.setContext(context);
    filter.start();
    context.addTurboFilter(filter);
    ListAppender<ILoggingEvent> written = new ListAppender<>();
    written.setContext(context);
    written.start();
    AsyncAppender async = new AsyncAppender();
    async.setContext(context);
    async.setNeverBlock(true);
    async.addAppender(written);
    async.start();
    Logger access = context.getLogger("access");
    access.addAppender(async);

    Span span = tracing.get("test").spanBuilder("request").startSpan();
    try (Scope ignored = span.makeCurrent()) {
      access.info("{}", kv("status", 200));
    } finally {
      span.end();
    }
    access.info("{}", kv("status", 404));
    async.stop(); // drains the queue into the list

    assertThat(written.list).hasSize(2);
    assertThat(written.list.get(0).getMDCPropertyMap())
      .containsEntry(TraceMdcTurboFilter.TRACE_ID, span.getSpanContext().getTraceId())
      .containsEntry(TraceMdcTurboFilter.SPAN_ID, span.getSpanContext().getSpanId());
    assertThat(written.list.get(1).getMDCPropertyMap()).doesNotContainKeys(TraceMdcTurboFilter.TRACE_ID, TraceMdcTurboFilter.SPAN_ID);
  }

  @Test
  void theFormatIsTextOnlyWhenAskedFor() {
    assertThat(LogFormatEncoder.formatOf("text")).isEqualTo("text");
    assertThat(LogFormatEncoder.formatOf(" Text ")).isEqualTo("text");
    assertThat(LogFormatEncoder.formatOf("json")).isEqualTo("json");
    assertThat(LogFormatEncoder.formatOf("")).isEqualTo("json");
    assertThat(LogFormatEncoder.formatOf(null)).isEqualTo("json");
    assertThat(LogFormatEncoder.formatOf("logfmt")).isEqualTo("json");
  }

  private String logged(String format, Consumer<Logger> logging) throws JoranException {
    LoggerContext context = configured(format);
    assertThat(new StatusUtil(context).getHighestLevel(0)).as(() -> "logback status " + context.getStatusManager().getCopyOfStatusList()).isLessThan(Status.WARN);
    return logged(context, logging);
  }

  /** Runs {@code logging} with the configured console appender writing into a buffer. */
  @SuppressWarnings("unchecked")
  private static String logged(LoggerContext context, Consumer<Logger> logging) {
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    OutputStreamAppender<ILoggingEvent> console = (OutputStreamAppender<ILoggingEvent>) root.getAppender("CONSOLE");
    assertThat(console).as("root appender CONSOLE").isNotNull();
    assertThat(root.iteratorForAppenders()).toIterable().hasSize(1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    console.setOutputStream(out);
    try {
      logging.accept(context.getLogger("dev.bazaar.test"));
    } finally {
      context.stop();
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static LoggerContext configured(String format) throws JoranException {
    LoggerContext context = newContext();
    if (format != null) {
      context.putProperty("BAZAAR_LOG_FORMAT", format); // looked up before the environment
    }
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(StructuredLogsTest.class.getResource("/logback.xml"));
    return context;
  }

  private static LoggerContext newContext() {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    return context;
  }

  private static List<JsonObject> jsonLines(String output) {
    return output.lines().map(JsonObject::new).toList();
  }
}
