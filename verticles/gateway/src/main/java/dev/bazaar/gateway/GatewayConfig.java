package dev.bazaar.gateway;

import dev.bazaar.gateway.routes.RouteTable;
import dev.bazaar.platform.boot.ServiceConfig;
import dev.bazaar.platform.boot.ServiceSettings;
import dev.bazaar.platform.config.ConfigReader;
import dev.bazaar.platform.config.HttpSettings;

/**
 * The gateway's configuration, validated at start. {@code http} is the public port; {@code
 * management} the operations port (metrics, health; loopback by default), which is the server of
 * the gateway's {@link ServiceSettings} (it has no database and no Kafka).
 */
public record GatewayConfig(HttpSettings http, ServiceSettings service, ConfigReader cors, int instances, boolean accessLog,
                            long aggregationPartTimeoutMs, ConfigReader rateLimit, RouteTable routes,
                            java.util.Set<String> requiredServices, dev.bazaar.gateway.live.LiveSettings live) implements ServiceConfig {

  public static GatewayConfig from(ConfigReader config) {
    RouteTable routes = RouteTable.from(config.sections("routes"));
    java.util.List<String> required = config.section("readiness").strings("requiredServices");
    return new GatewayConfig(
      HttpSettings.from(config.section("http")),
      management(config),
      config.section("cors"),
      config.integer("instances", 2, 1, 64),
      config.bool("accessLog", true),
      config.section("aggregation").longValue("partTimeoutMs", 1500, 10, 60_000),
      config.section("rateLimit"),
      routes,
      // ready means every routed service is discovered, unless a subset is named (tests, partial deployments)
      required.isEmpty() ? routes.services() : java.util.Set.copyOf(required),
      dev.bazaar.gateway.live.LiveSettings.from(config.section("live")));
  }

  private static ServiceSettings management(ConfigReader config) {
    ServiceSettings common = ServiceSettings.withoutDatabase(config, GatewayVerticle.NAME);
    return new ServiceSettings(common.name(), HttpSettings.from(config.section("management")), null, common.auth(),
      common.client(), null);
  }
}
