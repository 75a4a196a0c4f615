package dev.bazaar.monolith;

import dev.bazaar.gateway.GatewayVerticle;
import dev.bazaar.inventory.InventoryServiceVerticle;
import dev.bazaar.notification.NotificationServiceVerticle;
import dev.bazaar.order.OrderServiceVerticle;
import dev.bazaar.payment.PaymentServiceVerticle;
import dev.bazaar.platform.config.ConfigException;
import dev.bazaar.product.ProductServiceVerticle;
import dev.bazaar.user.UserServiceVerticle;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Bazaar in one JVM: deploys the very service verticles and the gateway that the microservice
 * jars deploy, each with its own {@code conf/<name>.json}, its own database, its own HTTP server
 * and its own record in discovery; they still call each other through the (clustered) event bus
 * and discovery. {@code BAZAAR_MONOLITH_SERVICES} (comma separated, default every one) chooses
 * which: a service left out runs from its own jar and nobody else notices.
 */
public class MonolithVerticle extends VerticleBase {
  public static final String SERVICES_ENV = "BAZAAR_MONOLITH_SERVICES";
  private static final Logger LOG = LoggerFactory.getLogger(MonolithVerticle.class);

  /** Every service this jar can deploy, by name. */
  static final Map<String, Supplier<Deployable>> SERVICES = services();

  private static Map<String, Supplier<Deployable>> services() {
    Map<String, Supplier<Deployable>> all = new LinkedHashMap<>();
    all.put(UserServiceVerticle.NAME, UserServiceVerticle::new);
    all.put(ProductServiceVerticle.NAME, ProductServiceVerticle::new);
    all.put(InventoryServiceVerticle.NAME, InventoryServiceVerticle::new);
    all.put(OrderServiceVerticle.NAME, OrderServiceVerticle::new);
    all.put(PaymentServiceVerticle.NAME, PaymentServiceVerticle::new);
    all.put(NotificationServiceVerticle.NAME, NotificationServiceVerticle::new);
    all.put(GatewayVerticle.NAME, GatewayVerticle::new);
    return all;
  }

  /** The services named by {@code configured} (blank: all), in the order of {@link #SERVICES}. */
  static List<String> selected(String configured) {
    if (configured == null || configured.isBlank()) {
      return List.copyOf(SERVICES.keySet());
    }
    List<String> named = List.of(configured.trim().split("\\s*,\\s*"));
    for (String name : named) {
      if (!SERVICES.containsKey(name)) {
        throw new ConfigException(SERVICES_ENV + ": unknown service '" + name + "' (known: " + String.join(", ", SERVICES.keySet()) + ")");
      }
    }
    return SERVICES.keySet().stream().filter(named::contains).toList();
  }

  /**
   * Deploys the services side by side (none waits for another: they find each other through
   * discovery, as separate JVMs do). If one fails, Vert.x undeploys the others with this verticle.
   */
  @Override
  public Future<?> start() {
    List<String> names = selected(System.getenv(SERVICES_ENV));
    List<Future<String>> deployed = new ArrayList<>();
    for (String name : names) {
      deployed.add(vertx.deployVerticle(SERVICES.get(name).get(), new DeploymentOptions())
        .onFailure(e -> LOG.error("{} did not start: {}", name, e.toString())));
    }
    return Future.all(deployed).onSuccess(all -> LOG.info("monolith deployed {}", String.join(", ", names)));
  }
}
