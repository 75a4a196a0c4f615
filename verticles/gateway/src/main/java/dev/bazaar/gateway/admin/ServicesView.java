package dev.bazaar.gateway.admin;

import dev.bazaar.gateway.proxy.Backends;
import dev.bazaar.platform.auth.Principal;
import dev.bazaar.platform.discovery.ServiceInstance;
import dev.bazaar.platform.discovery.ServiceRegistry;
import dev.bazaar.platform.http.ApiException;
import dev.bazaar.platform.http.Json;
import dev.bazaar.platform.resilience.CircuitBreakers;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code GET /api/v1/admin/services} (admin): what discovery holds now, with breaker states and each instance's health. */
public record ServicesView(ServiceRegistry registry, CircuitBreakers breakers, Backends backends) {
  public void mount(Router router) {
    router.get("/api/v1/admin/services").handler(this::list);
  }

  private void list(RoutingContext ctx) {
    backends.auth().admit(ctx, false)
      .compose(principal -> {
        if (!principal.isAdmin()) {
          return Future.failedFuture(ApiException.forbidden("This needs the admin role."));
        }
        return describe(new TreeMap<>(registry.snapshot()));
      })
      .onSuccess(body -> Json.send(ctx, 200, body))
      .onFailure(ctx::fail);
  }

  private Future<JsonObject> describe(Map<String, List<ServiceInstance>> services) {
    List<Future<JsonObject>> all = new ArrayList<>();
    List<String> names = new ArrayList<>(services.keySet());
    for (String name : names) {
      List<Future<JsonObject>> instances = services.get(name).stream().map(i -> instance(name, i)).toList();
      all.add(Future.all(instances).map(done -> new JsonObject()
        .put("name", name)
        .put("breaker", breakers.state(name).name())
        .put("instances", new JsonArray(instances.stream().map(Future::result).toList()))));
    }
    return Future.all(all).map(done -> new JsonObject()
      .put("services", new JsonArray(all.stream().map(Future::result).toList())));
  }

  private Future<JsonObject> instance(String service, ServiceInstance instance) {
    JsonObject json = instance.toJson().put("breaker", breakers.state(service + "@" + instance.instanceId()).name());
    return backends.client().probe(instance, "/health/ready")
      .map(response -> json.put("health", response.status() == 200 ? "UP" : "DOWN"))
      .otherwise(error -> json.put("health", "UNREACHABLE"));
  }
}
