package dev.bazaar.gateway.live;

import dev.bazaar.platform.config.ConfigReader;

/**
 * The {@code live} section of conf/gateway.json: the bounds of the event-bus bridge and the pace of
 * {@code ops.events}.
 *
 * @param maxFrameBytes      a bridge frame over this is refused (the WebSocket layer itself stops at 256 KiB)
 * @param framesPerSecond    inbound frames one connection may send per second, on average
 * @param frameBurst         inbound frames one connection may send at once
 * @param maxRegistrations   addresses one connection may listen to
 * @param maxConnections     bridge connections one gateway JVM accepts
 * @param pingTimeoutMs      a connection that sent no ping for this long is closed
 * @param opsPollMs          how often discovery and the breakers are compared with what was last announced
 * @param maxOrdersPerSecond settled orders announced one by one on {@code ops.events} per second (the rest only counted)
 */
public record LiveSettings(int maxFrameBytes, int framesPerSecond, int frameBurst, int maxRegistrations,
                           int maxConnections, long pingTimeoutMs, long opsPollMs, int maxOrdersPerSecond) {

  public static LiveSettings from(ConfigReader live) {
    return new LiveSettings(
      live.integer("maxFrameBytes", 16 * 1024, 256, 256 * 1024),
      live.integer("framesPerSecond", 10, 1, 10_000),
      live.integer("frameBurst", 30, 1, 100_000),
      live.integer("maxRegistrations", 8, 1, 1000),
      live.integer("maxConnections", 10_000, 1, 1_000_000),
      live.longValue("pingTimeoutMs", 30_000, 1000, 600_000),
      live.longValue("opsPollMs", 250, 50, 60_000),
      live.integer("maxOrdersPerSecond", 50, 0, 10_000));
  }
}
