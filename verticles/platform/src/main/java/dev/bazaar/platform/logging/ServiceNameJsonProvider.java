package dev.bazaar.platform.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import net.logstash.logback.composite.AbstractFieldJsonProvider;
import net.logstash.logback.composite.JsonWritingUtils;

import java.io.IOException;

/**
 * Writes {@code "service"}: the system property {@code bazaar.service}, else the environment
 * variable {@code BAZAAR_SERVICE_NAME}; the field is left out while neither is set. Read when an
 * event is written rather than when logback is configured, because logback configures itself
 * before {@code main} runs (the Vert.x launcher's class creates a logger), so a property the
 * launcher sets first thing in {@code main} would be missed by {@code ${...}} substitution.
 */
public final class ServiceNameJsonProvider extends AbstractFieldJsonProvider<ILoggingEvent> {
  public static final String PROPERTY = "bazaar.service";
  public static final String ENV = "BAZAAR_SERVICE_NAME";

  private volatile String serviceName;

  public ServiceNameJsonProvider() {
    setFieldName("service");
  }

  @Override
  public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
    String name = serviceName;
    if (name == null) {
      name = serviceName = resolve();
    }
    if (name != null) {
      JsonWritingUtils.writeStringField(generator, getFieldName(), name);
    }
  }

  // a service's name does not change once known; until then, look again on each event
  private static String resolve() {
    String name = System.getProperty(PROPERTY);
    if (name == null || name.isBlank()) {
      name = System.getenv(ENV);
    }
    return name == null || name.isBlank() ? null : name.trim();
  }
}
