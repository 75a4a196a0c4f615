package dev.bazaar.gateway.routes;

import dev.bazaar.platform.config.ConfigException;
import dev.bazaar.platform.config.ConfigReader;
import io.vertx.core.http.HttpMethod;

import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The gateway's routing table from {@code conf/gateway.json}: the longest matching prefix wins. */
public final class RouteTable {
  private final List<Route> routes;

  public RouteTable(List<Route> routes) {
    this.routes = routes.stream().sorted(Comparator.comparingInt((Route r) -> r.prefix().length()).reversed()).toList();
  }

  public static RouteTable from(List<ConfigReader> entries) {
    if (entries.isEmpty()) {
      throw new ConfigException("routes must list at least one route");
    }
    List<Route> routes = entries.stream().map(RouteTable::route).toList();
    Set<String> prefixes = new LinkedHashSet<>();
    routes.forEach(r -> {
      if (!prefixes.add(r.prefix())) {
        throw new ConfigException("routes: prefix " + r.prefix() + " appears twice");
      }
    });
    return new RouteTable(routes);
  }

  private static Route route(ConfigReader entry) {
    String prefix = entry.string("prefix");
    if (!prefix.startsWith("/") || prefix.endsWith("/") || prefix.contains("*")) {
      throw new ConfigException("routes: prefix '" + prefix + "' must start with / and not end with / or hold wildcards");
    }
    String service = entry.optionalString("service", null);
    String address = entry.optionalString("address", null);
    if ((service == null) == (address == null)) {
      throw new ConfigException("routes: " + prefix + " needs exactly one of service or address");
    }
    Set<HttpMethod> publicMethods = entry.strings("publicMethods").stream()
      .map(m -> HttpMethod.valueOf(m.toUpperCase()))
      .collect(Collectors.toUnmodifiableSet());
    return new Route(prefix, service, address, entry.bool("public", false), publicMethods, entry.longValue("timeoutMs", 0, 0, 60_000));
  }

  public Optional<Route> match(String path) {
    for (Route route : routes) {
      if (route.matches(path)) {
        return Optional.of(route);
      }
    }
    return Optional.empty();
  }

  /** The services reached over HTTP, which the gateway needs in discovery to be ready. */
  public Set<String> services() {
    return routes.stream().map(Route::service).filter(s -> s != null).collect(Collectors.toCollection(java.util.TreeSet::new));
  }

  public List<Route> routes() {
    return routes;
  }
}
