package dev.bazaar.platform.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;

/**
 * Encodes with the {@code <json>} or the {@code <text>} encoder configured under it, as
 * {@code <format>} (usually {@code ${BAZAAR_LOG_FORMAT:-json}}) asks: {@code text} (any case) for
 * humans, {@code json} for machines, and {@code json} with a warning for any other value, since a
 * typo must never silence the logs. The choice lives here rather than in logback.xml because
 * logback (1.5.18) decides which appenders are referenced before it substitutes variables, so an
 * {@code <appender-ref ref="${...}"/>} finds its appender skipped as unreferenced; and its
 * {@code <if>} needs Janino.
 */
public final class LogFormatEncoder extends EncoderBase<ILoggingEvent> {
  public static final String JSON = "json";
  public static final String TEXT = "text";

  private String format;
  private Encoder<ILoggingEvent> json;
  private Encoder<ILoggingEvent> text;
  private Encoder<ILoggingEvent> chosen;

  public void setFormat(String format) {
    this.format = format;
  }

  public void setJson(Encoder<ILoggingEvent> json) {
    this.json = json;
  }

  public void setText(Encoder<ILoggingEvent> text) {
    this.text = text;
  }

  /** {@code text} when asked for (any case, spaces ignored), else {@code json}. */
  public static String formatOf(String requested) {
    return requested != null && TEXT.equalsIgnoreCase(requested.trim()) ? TEXT : JSON;
  }

  @Override
  public void start() {
    String requested = format == null ? "" : format.trim();
    String selected = formatOf(requested);
    if (!requested.isEmpty() && !requested.equalsIgnoreCase(selected)) {
      addWarn("Unknown log format [" + format + "]: expected json or text; writing json.");
    }
    chosen = TEXT.equals(selected) ? text : json;
    if (chosen == null) {
      addError("No <" + selected + "> encoder configured: no log line can be written.");
      return;
    }
    if (!chosen.isStarted()) {
      chosen.start();
    }
    Encoder<ILoggingEvent> unused = chosen == text ? json : text;
    if (unused != null) {
      unused.stop();
    }
    super.start();
  }

  @Override
  public void stop() {
    if (chosen != null) {
      chosen.stop();
    }
    super.stop();
  }

  @Override
  public byte[] headerBytes() {
    return chosen.headerBytes();
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    return chosen.encode(event);
  }

  @Override
  public byte[] footerBytes() {
    return chosen.footerBytes();
  }
}
