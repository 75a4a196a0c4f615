package dev.bazaar.platform.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import org.slf4j.Marker;
import org.slf4j.spi.MDCAdapter;

/**
 * Gives every log line the ids of the OpenTelemetry span it was written in: on each enabled log
 * call, puts {@code trace_id} and {@code span_id} of {@link Span#current()} into the MDC, and takes
 * them out when no span is current.
 *
 * <p>Why a turbo filter: it is the one hook that runs on the calling thread for every log call,
 * before the event exists. Vert.x keeps the current span in the request's (duplicated) context,
 * not in a thread-local, and one event loop interleaves many requests; so MDC entries put by a
 * handler would be stale by its next callback, and only a read of {@code Span.current()} at the
 * moment of the call is right. The event then copies the MDC on this same thread, also when an
 * {@code AsyncAppender} writes it later on another ({@code prepareForDeferredProcessing}), so the
 * gateway's asynchronous access log carries the ids too. A disabled call (below the logger's
 * level) costs one comparison and leaves the MDC as it is.
 */
public final class TraceMdcTurboFilter extends TurboFilter {
  public static final String TRACE_ID = "trace_id";
  public static final String SPAN_ID = "span_id";

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (level == null || !level.isGreaterOrEqual(logger.getEffectiveLevel())) {
      return FilterReply.NEUTRAL;
    }
    MDCAdapter mdc = ((LoggerContext) getContext()).getMDCAdapter();
    if (mdc == null) {
      return FilterReply.NEUTRAL;
    }
    SpanContext span = Span.current().getSpanContext();
    if (span.isValid()) {
      putIfChanged(mdc, TRACE_ID, span.getTraceId());
      putIfChanged(mdc, SPAN_ID, span.getSpanId());
    } else if (mdc.get(TRACE_ID) != null || mdc.get(SPAN_ID) != null) {
      mdc.remove(TRACE_ID);
      mdc.remove(SPAN_ID);
    }
    return FilterReply.NEUTRAL;
  }

  // every put makes logback copy the thread's MDC map again for the next event: skip the no-ops
  private static void putIfChanged(MDCAdapter mdc, String key, String value) {
    if (!value.equals(mdc.get(key))) {
      mdc.put(key, value);
    }
  }
}
