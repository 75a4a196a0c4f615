package dev.bazaar.platform.logging;

import ch.qos.logback.classic.jul.LevelChangePropagator;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Sends java.util.logging (the OpenTelemetry SDK's exporter warnings, parts of the JDK) through
 * SLF4J, so those events are written as the same one-line JSON as the rest instead of as
 * multi-line text on stderr. As a logback context listener it also keeps JUL's levels in step
 * with logback's, so a JUL call below the configured level costs nothing.
 */
public final class JulToSlf4j extends LevelChangePropagator {
  @Override
  public void start() {
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
    super.start();
  }
}
