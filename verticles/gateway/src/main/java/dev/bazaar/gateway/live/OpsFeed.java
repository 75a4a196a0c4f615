package dev.bazaar.gateway.live;

import dev.bazaar.platform.discovery.ServiceInstance;
import dev.bazaar.platform.discovery.ServiceRegistry;
import dev.bazaar.platform.resilience.CircuitBreakers;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What this gateway JVM tells its live clients, once per JVM however many event loops serve:
 * <ul>
 *   <li>each stored notification (announced by notification-service on
 *       {@value #NOTIFICATIONS_CREATED}) goes to {@code notifications.<userId>} as
 *       {@code {id, orderId, kind, text, createdAt}};</li>
 *   <li>on {@code ops.events}: {@code {"type":"instance","change":"up"|"down",service,instanceId,host,port,at}}
 *       when discovery gains or loses an instance, {@code {"type":"breaker",name,state,at}} when a
 *       breaker of this gateway changes state, {@code {"type":"order",orderId,status,text,at}} when an
 *       order settles (its outcome's notification; at most {@code maxOrdersPerSecond}), and every
 *       second {@code {"type":"rates",at,placed,confirmed,cancelled}}: orders placed through this
 *       gateway and saga outcomes in that second.</li>
 * </ul>
 * Everything is published on this JVM's event bus only: the bridge's clients of this JVM listen
 * here, and every gateway JVM makes its own.
 */
public final class OpsFeed {
  public static final String NOTIFICATIONS_CREATED = "notification-service.created";
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);
  private static final String CONFIRMED = "ORDER_CONFIRMED";
  private static final String CANCELLED = "ORDER_CANCELLED";

  private final Vertx vertx;
  private final ServiceRegistry registry;
  private final CircuitBreakers breakers;
  private final LiveSettings settings;
  private final AtomicLong placed = new AtomicLong();
  private long confirmed;
  private long cancelled;
  private int ordersAnnounced;
  private Map<String, ServiceInstance> instances = Map.of();
  private Map<String, CircuitBreakerState> breakerStates = Map.of();
  private MessageConsumer<JsonObject> created;
  private long pollTimer = -1;
  private long rateTimer = -1;

  private OpsFeed(Vertx vertx, ServiceRegistry registry, CircuitBreakers breakers, LiveSettings settings) {
    this.vertx = vertx;
    this.registry = registry;
    this.breakers = breakers;
    this.settings = settings;
  }

  /** Starts the feed on the calling context (the gateway's main verticle). */
  public static Future<OpsFeed> start(Vertx vertx, ServiceRegistry registry, CircuitBreakers breakers, LiveSettings settings) {
    OpsFeed feed = new OpsFeed(vertx, registry, breakers, settings);
    feed.instances = feed.currentInstances();
    feed.breakerStates = breakers.states();
    feed.created = vertx.eventBus().consumer(NOTIFICATIONS_CREATED, message -> feed.onNotification(message.body()));
    feed.pollTimer = vertx.setPeriodic(settings.opsPollMs(), id -> feed.poll());
    feed.rateTimer = vertx.setPeriodic(1000, id -> feed.rates());
    return feed.created.completion().map(feed);
  }

  /** An order was accepted (202) by this gateway; thread-safe, called from any event loop. */
  public void orderPlaced() {
    placed.incrementAndGet();
  }

  public Future<Void> close() {
    vertx.cancelTimer(pollTimer);
    vertx.cancelTimer(rateTimer);
    return created == null ? Future.succeededFuture() : created.unregister();
  }

  private void onNotification(Object body) {
    if (!(body instanceof JsonObject json) || !(json.getValue("userId") instanceof String userId)) {
      return;
    }
    JsonObject pushed = json.copy();
    pushed.remove("userId");
    vertx.eventBus().publish(LiveAddresses.notifications(userId), pushed, LOCAL);
    String kind = json.getString("kind");
    if (CONFIRMED.equals(kind) || CANCELLED.equals(kind)) {
      if (CONFIRMED.equals(kind)) {
        confirmed++;
      } else {
        cancelled++;
      }
      if (ordersAnnounced < settings.maxOrdersPerSecond()) {
        ordersAnnounced++;
        ops(event("order").put("orderId", json.getString("orderId"))
          .put("status", CONFIRMED.equals(kind) ? "CONFIRMED" : "CANCELLED").put("text", json.getString("text")));
      }
    }
  }

  private void poll() {
    Map<String, ServiceInstance> now = currentInstances();
    now.forEach((id, instance) -> {
      if (!instances.containsKey(id)) {
        ops(instanceEvent("up", instance));
      }
    });
    instances.forEach((id, instance) -> {
      if (!now.containsKey(id)) {
        ops(instanceEvent("down", instance));
      }
    });
    instances = now;
    Map<String, CircuitBreakerState> states = breakers.states();
    states.forEach((name, state) -> {
      if (state != breakerStates.getOrDefault(name, CircuitBreakerState.CLOSED)) {
        ops(event("breaker").put("name", name).put("state", state.name()));
      }
    });
    breakerStates = states;
  }

  private void rates() {
    ops(event("rates").put("placed", placed.getAndSet(0)).put("confirmed", confirmed).put("cancelled", cancelled));
    confirmed = 0;
    cancelled = 0;
    ordersAnnounced = 0;
  }

  private Map<String, ServiceInstance> currentInstances() {
    Map<String, ServiceInstance> all = new HashMap<>();
    registry.snapshot().values().stream().flatMap(List::stream).forEach(instance -> all.put(instance.instanceId(), instance));
    return all;
  }

  private static JsonObject instanceEvent(String change, ServiceInstance instance) {
    return event("instance").put("change", change).put("service", instance.service()).put("instanceId", instance.instanceId())
      .put("host", instance.host()).put("port", instance.port());
  }

  private static JsonObject event(String type) {
    return new JsonObject().put("type", type).put("at", Instant.now().toString());
  }

  private void ops(JsonObject event) {
    vertx.eventBus().publish(LiveAddresses.OPS_EVENTS, event, LOCAL);
  }
}
