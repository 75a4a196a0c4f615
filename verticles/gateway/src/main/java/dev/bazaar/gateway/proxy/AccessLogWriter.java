package dev.bazaar.gateway.proxy;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.bazaar.platform.logging.LogFormatEncoder;
import dev.bazaar.platform.logging.ServiceNameJsonProvider;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes the access log in batches on its own thread. An event loop only queues an {@link Entry}
 * (a bounded queue: when it is full the entry is dropped and counted, a request never waits for
 * the log); the writer wakes every {@code flushMs}, formats everything queued and writes it with
 * one call. Each entry is one line in the format of every other log line of the JVM
 * ({@code BAZAAR_LOG_FORMAT}): a JSON object with the fields logback's encoder writes
 * ({@code @timestamp}, {@code message}, {@code logger_name} "access", {@code thread_name},
 * {@code level}, {@code trace_id}, {@code span_id}, {@code service}) plus {@code method},
 * {@code path}, {@code route}, {@code status}, {@code durationMs}, {@code user}, {@code traceId};
 * or the text pattern. Logback's asynchronous appender did the same job at about a third of the
 * gateway's CPU per request (a Jackson encoding and a write per line, a lock shared with the
 * event loops on every line: docs/BENCHMARKS.md).
 */
public final class AccessLogWriter implements AutoCloseable {
  private static final DateTimeFormatter TEXT_TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
  private static final int MAX_BATCH = 4096;

  /**
   * What one line says; the event loop fills it, the writer formats it. {@code spanTraceId} and
   * {@code spanId} are those of the request's span, null when it had none.
   */
  public record Entry(long epochMillis, String thread, String method, String path, String route, int status,
                      long durationMs, String user, String traceId, String spanTraceId, String spanId) {
  }

  private final ArrayBlockingQueue<Entry> queue;
  private final OutputStream out;
  private final boolean json;
  private final String service;
  private final long flushMs;
  private final AtomicLong dropped = new AtomicLong();
  private final Thread thread;
  private volatile boolean closed;

  public AccessLogWriter(OutputStream out, int capacity, long flushMs, boolean json, String service) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.out = out;
    this.json = json;
    this.service = service;
    this.flushMs = flushMs;
    this.thread = new Thread(this::run, "bazaar-access-log");
    thread.setDaemon(true);
    thread.start();
  }

  /** To standard output, in the JVM's log format, 8192 lines at most in flight, flushed every 20 ms. */
  public static AccessLogWriter toStandardOutput() {
    String service = System.getProperty(ServiceNameJsonProvider.PROPERTY);
    if (service == null || service.isBlank()) {
      service = System.getenv(ServiceNameJsonProvider.ENV);
    }
    boolean json = LogFormatEncoder.JSON.equals(LogFormatEncoder.formatOf(System.getenv("BAZAAR_LOG_FORMAT")));
    return new AccessLogWriter(System.out, 8192, 20, json, service == null || service.isBlank() ? null : service.trim());
  }

  /** Queues a line; false (and counted) when the queue is full or the writer closed. */
  public boolean write(Entry entry) {
    if (closed || !queue.offer(entry)) {
      dropped.incrementAndGet();
      return false;
    }
    return true;
  }

  /** Lines dropped so far because the queue was full. */
  public long dropped() {
    return dropped.get();
  }

  /** Writes what is queued, then stops the writer (waits at most 1 s). */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    List<Entry> batch = new ArrayList<>(256);
    StringBuilder text = new StringBuilder(64 * 1024);
    StringBuilder message = new StringBuilder(256);
    while (true) {
      queue.drainTo(batch, MAX_BATCH);
      if (!batch.isEmpty()) {
        for (Entry entry : batch) {
          format(entry, text, message);
        }
        batch.clear();
        try {
          out.write(text.toString().getBytes(StandardCharsets.UTF_8));
          out.flush();
        } catch (IOException e) {
          // standard output gone: nothing left to tell it to
        }
        text.setLength(0);
        continue;
      }
      if (closed) {
        return;
      }
      try {
        TimeUnit.MILLISECONDS.sleep(flushMs);
      } catch (InterruptedException e) {
        // close(): one last drain, then stop
      }
    }
  }

  void format(Entry e, StringBuilder out, StringBuilder message) {
    if (!json) {
      out.append(LocalTime.ofInstant(Instant.ofEpochMilli(e.epochMillis()), ZoneId.systemDefault()).format(TEXT_TIME))
        .append(" INFO  [").append(e.thread()).append("] access - ");
      message(e, out);
      if (e.spanId() != null) {
        out.append(" trace=").append(e.spanTraceId()).append(" span=").append(e.spanId());
      }
      out.append('\n');
      return;
    }
    out.append("{\"@timestamp\":\"").append(Instant.ofEpochMilli(e.epochMillis())).append("\",\"message\":");
    message.setLength(0);
    message(e, message);
    string(out, message);
    out.append(",\"logger_name\":\"access\",\"thread_name\":");
    string(out, e.thread());
    out.append(",\"level\":\"INFO\"");
    if (e.spanId() != null) {
      out.append(",\"trace_id\":\"").append(e.spanTraceId()).append("\",\"span_id\":\"").append(e.spanId()).append('"');
    }
    if (service != null) {
      out.append(",\"service\":");
      string(out, service);
    }
    out.append(",\"method\":");
    string(out, e.method());
    out.append(",\"path\":");
    string(out, e.path());
    out.append(",\"route\":");
    string(out, e.route());
    out.append(",\"status\":").append(e.status()).append(",\"durationMs\":").append(e.durationMs()).append(",\"user\":");
    string(out, e.user());
    out.append(",\"traceId\":");
    string(out, e.traceId());
    out.append("}\n");
  }

  // the text logback's key=value arguments rendered: method=GET path=/x route=/api/* status=200 ...
  private static void message(Entry e, StringBuilder out) {
    out.append("method=").append(e.method()).append(" path=").append(e.path()).append(" route=").append(e.route())
      .append(" status=").append(e.status()).append(" durationMs=").append(e.durationMs())
      .append(" user=").append(e.user()).append(" traceId=").append(e.traceId());
  }

  /** A JSON string literal (Jackson's escaping: quotes, backslashes, control characters). */
  static void string(StringBuilder out, CharSequence value) {
    if (value == null) {
      out.append("null");
      return;
    }
    out.append('"');
    JsonStringEncoder.getInstance().quoteAsString(value, out);
    out.append('"');
  }
}
