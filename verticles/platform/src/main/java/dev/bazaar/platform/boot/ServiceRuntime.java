package dev.bazaar.platform.boot;

import dev.bazaar.platform.auth.JwtVerifier;
import dev.bazaar.platform.auth.JwtVerifiers;
import dev.bazaar.platform.config.AuthSettings;
import dev.bazaar.platform.config.ClientSettings;
import dev.bazaar.platform.config.DatabaseSettings;
import dev.bazaar.platform.config.HttpSettings;
import dev.bazaar.platform.messaging.IdempotentConsumer;
import dev.bazaar.platform.messaging.KafkaProbe;
import dev.bazaar.platform.messaging.KafkaSettings;
import dev.bazaar.platform.messaging.MessagingMetrics;
import dev.bazaar.platform.messaging.OutboxRelay;
import dev.bazaar.platform.messaging.Topics;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import dev.bazaar.platform.resilience.CircuitBreakers;
import dev.bazaar.platform.resilience.EventBusClient;
import dev.bazaar.platform.resilience.ServiceClient;
import dev.bazaar.platform.discovery.ServiceInstance;
import dev.bazaar.platform.discovery.ServiceRegistry;
import dev.bazaar.platform.health.Health;
import dev.bazaar.platform.http.HttpServers;
import dev.bazaar.platform.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;

/**
 * What every service does around its own routes: joins discovery, serves health and metrics next
 * to its API on one HTTP server, publishes the instance once it listens, withdraws it on stop.
 */
public final class ServiceRuntime {
  private final Vertx vertx;
  private final String service;
  private final ServiceRegistry registry;
  private final Health health = new Health();
  private HttpServer server;
  private ServiceInstance instance;
  private CircuitBreakers breakers;
  private ServiceClient serviceClient;
  private EventBusClient eventBusClient;
  private OutboxRelay relay;
  private KafkaProbe kafkaProbe;
  private final List<IdempotentConsumer> consumers = new ArrayList<>();

  private ServiceRuntime(Vertx vertx, String service, ServiceRegistry registry) {
    this.vertx = vertx;
    this.service = service;
    this.registry = registry;
    health.cluster(vertx, registry.membership());
  }

  public static Future<ServiceRuntime> create(Vertx vertx, String service) {
    return ServiceRegistry.create(vertx).map(registry -> new ServiceRuntime(vertx, service, registry));
  }

  public ServiceRegistry registry() {
    return registry;
  }

  public Health health() {
    return health;
  }

  public ServiceInstance instance() {
    return instance;
  }

  /**
   * The guarded clients this service calls others with (HTTP by service name, event bus by
   * address), sharing one set of circuit breakers. Call once, at start.
   */
  public void clients(ClientSettings settings) {
    breakers = new CircuitBreakers(vertx, settings);
    serviceClient = new ServiceClient(vertx, registry, breakers, settings);
    eventBusClient = new EventBusClient(vertx, breakers, settings);
  }

  public ServiceClient serviceClient() {
    return require(serviceClient);
  }

  public EventBusClient eventBusClient() {
    return require(eventBusClient);
  }

  public CircuitBreakers breakers() {
    return require(breakers);
  }

  /**
   * Verifies access tokens against user-service's JWKS, found through discovery. The keys are
   * loaded in the background from the start (retried every second for a minute while user-service
   * is not up yet), so the first request does not pay for it.
   */
  public JwtVerifier jwtVerifier(AuthSettings auth) {
    JwtVerifier verifier = JwtVerifiers.viaDiscovery(auth, serviceClient());
    warmUp(verifier, 60);
    return verifier;
  }

  private void warmUp(JwtVerifier verifier, int attemptsLeft) {
    verifier.refresh().onFailure(e -> {
      if (attemptsLeft > 1) {
        vertx.setTimer(1000, id -> warmUp(verifier, attemptsLeft - 1));
      }
    });
  }

  private static <T> T require(T client) {
    if (client == null) {
      throw new IllegalStateException("call clients(settings) first");
    }
    return client;
  }

  /**
   * Creates the topics this service publishes to (if missing) and starts its outbox relay (one
   * active relay per database, guarded by an advisory lock). Stopped by {@link #stop()}.
   */
  public Future<OutboxRelay> startOutboxRelay(Pool pool, DatabaseSettings db, KafkaSettings kafka, String... topics) {
    relay = OutboxRelay.create(vertx, pool, db, kafka);
    health.check("outbox", () -> relay.backlog());
    probeKafka(kafka);
    MessagingMetrics.watch(vertx, relay, db.database());
    return Topics.ensure(vertx, kafka, topics).compose(v -> relay.start()).map(relay);
  }

  /** Starts an idempotent consumer; stopped (offsets committed) by {@link #stop()}. */
  public Future<IdempotentConsumer> startConsumer(IdempotentConsumer consumer) {
    consumers.add(consumer);
    MessagingMetrics.watch(vertx, consumer);
    probeKafka(consumer.settings());
    return consumer.start().map(consumer);
  }

  /** Readiness reports Kafka (probed in the background) once this service publishes or consumes. */
  private void probeKafka(KafkaSettings kafka) {
    if (kafkaProbe == null) {
      kafkaProbe = KafkaProbe.start(vertx, kafka);
      health.check("kafka", kafkaProbe::check);
    }
  }

  /** A router with the platform's defaults (trace context, body limit, problem+json errors). */
  public Router router(HttpSettings http) {
    Router router = HttpServers.router(vertx, http);
    health.mount(router);
    Metrics.mount(router);
    return router;
  }

  /** Listens, then publishes this instance in discovery at the port it got. */
  public Future<ServiceInstance> serve(Router router, HttpSettings http) {
    return HttpServers.listen(vertx, router, http)
      .compose(listening -> {
        server = listening;
        return registry.publishHttp(service, http.publicHost(), listening.actualPort());
      })
      .onSuccess(published -> instance = published);
  }

  /** Withdraws from discovery first (callers stop coming), stops consuming and relaying, then stops listening. */
  public Future<Void> stop() {
    List<Future<Void>> stopping = new ArrayList<>();
    consumers.forEach(consumer -> stopping.add(consumer.stop()));
    if (relay != null) {
      stopping.add(relay.stop());
    }
    if (kafkaProbe != null) {
      stopping.add(kafkaProbe.close());
    }
    return registry.close()
      .transform(ar -> Future.join(stopping).<Void>mapEmpty())
      .transform(ar -> server == null ? Future.succeededFuture() : server.close())
      .transform(ar -> serviceClient == null ? Future.succeededFuture() : serviceClient.close());
  }
}
