package dev.bazaar.gateway;

import dev.bazaar.gateway.routes.RouteTable;
import dev.bazaar.platform.config.AuthSettings;
import dev.bazaar.platform.config.ClientSettings;
import dev.bazaar.platform.config.ConfigReader;
import dev.bazaar.platform.config.HttpSettings;

/**
 * The gateway's configuration, validated at start. {@code http} is the public port; {@code
 * management} the operations port (metrics, health; loopback by default).
 */
public record GatewayConfig(HttpSettings http, HttpSettings management, ConfigReader cors, int instances, boolean accessLog, AuthSettings auth, ClientSettings client,
                            long aggregationPartTimeoutMs, ConfigReader rateLimit, RouteTable routes,
                            java.util.Set<String> requiredServices, dev.bazaar.gateway.live.LiveSettings live) {

  public static GatewayConfig from(ConfigReader config) {
    RouteTable routes = RouteTable.from(config.sections("routes"));
    java.util.List<String> required = config.section("readiness").strings("requiredServices");
    return new GatewayConfig(
      HttpSettings.from(config.section("http")),
      HttpSettings.from(config.section("management")),
      config.section("cors"),
      config.integer("instances", 2, 1, 64),
      config.bool("accessLog", true),
      AuthSettings.from(config.section("auth")),
      ClientSettings.from(config.section("client")),
      config.section("aggregation").longValue("partTimeoutMs", 1500, 10, 60_000),
      config.section("rateLimit"),
      routes,
      // ready means every routed service is discovered, unless a subset is named (tests, partial deployments)
      required.isEmpty() ? routes.services() : java.util.Set.copyOf(required),
      dev.bazaar.gateway.live.LiveSettings.from(config.section("live")));
  }
}
