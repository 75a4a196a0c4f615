package dev.bazaar.platform.boot;

import dev.bazaar.platform.auth.AuthHandler;
import dev.bazaar.platform.auth.JwtVerifier;
import dev.bazaar.platform.auth.JwtVerifiers;
import dev.bazaar.platform.config.ConfigException;
import dev.bazaar.platform.db.Database;
import dev.bazaar.platform.discovery.GridWatchdog;
import dev.bazaar.platform.discovery.ServiceInstance;
import dev.bazaar.platform.discovery.ServiceRegistry;
import dev.bazaar.platform.health.Health;
import dev.bazaar.platform.http.HttpServers;
import dev.bazaar.platform.messaging.IdempotentConsumer;
import dev.bazaar.platform.messaging.KafkaProbe;
import dev.bazaar.platform.messaging.KafkaSettings;
import dev.bazaar.platform.messaging.MessagingMetrics;
import dev.bazaar.platform.messaging.OutboxRelay;
import dev.bazaar.platform.messaging.Topics;
import dev.bazaar.platform.metrics.Metrics;
import dev.bazaar.platform.resilience.CircuitBreakers;
import dev.bazaar.platform.resilience.EventBusClient;
import dev.bazaar.platform.resilience.ServiceClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

/**
 * The whole life of one service in this JVM. {@link ServiceVerticle} opens it (discovery, database
 * and migrations, guarded clients), lets the service declare what is its own (routes, event-bus
 * handlers, outbox topics, Kafka consumers, background tasks), then {@link #startDeclared() starts}
 * the declared parts in order: event-bus handlers, outbox relay, consumers, background tasks, the
 * HTTP server (API, health, metrics), and last the record in discovery.
 *
 * <p>Everything that started is remembered on a stack; {@link #stop()} closes it in reverse order
 * (callers stop coming before what serves them goes away), once, and also after a start that
 * failed half-way.
 */
public final class ServiceRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceRuntime.class);
  /** The status of a JVM that left because its data grid was wedged (EX_PROTOCOL). */
  static final int WEDGE_EXIT_CODE = 76;

  private final Vertx vertx;
  private final ServiceSettings settings;
  private final ServiceRegistry registry;
  private final Health health = new Health();
  private final Deque<Supplier<Future<?>>> started = new ArrayDeque<>();
  private final List<MessageConsumer<?>> busHandlers = new ArrayList<>();
  private final List<String> relayTopics = new ArrayList<>();
  private final List<IdempotentConsumer> consumers = new ArrayList<>();
  private final List<Background> background = new ArrayList<>();
  private Pool pool;
  private CircuitBreakers breakers;
  private ServiceClient serviceClient;
  private EventBusClient eventBusClient;
  private JwtVerifier verifier;
  private Router router;
  private boolean discoverable = true;
  private KafkaProbe kafkaProbe;
  private ServiceInstance instance;
  private Future<Void> stopped;

  /** Something of the service's own that runs beside its handlers (a sweeper, a scheduler). */
  public interface Background {
    void start();

    Future<Void> stop();

    static Background of(Runnable start, Supplier<Future<Void>> stop) {
      return new Background() {
        @Override
        public void start() {
          start.run();
        }

        @Override
        public Future<Void> stop() {
          return stop.get();
        }
      };
    }
  }

  private ServiceRuntime(Vertx vertx, ServiceSettings settings, ServiceRegistry registry) {
    this.vertx = vertx;
    this.settings = settings;
    this.registry = registry;
    health.cluster(vertx, registry.membership());
    started.push(registry::close);
    watchGrid();
  }

  /**
   * A JVM whose partition table stays at odds with the member list (its grid operations all fail)
   * says so in readiness, then in liveness, and is replaced ({@link GridWatchdog}, {@link Relaunch}).
   */
  private void watchGrid() {
    java.time.Duration wedge = StartWatchdog.seconds(System.getenv(), "BAZAAR_GRID_WEDGE_SECONDS", 20);
    GridWatchdog grid = GridWatchdog.start(vertx, registry.membership(), wedge, reason -> Relaunch.replaceAndHalt(WEDGE_EXIT_CODE, reason));
    if (grid != null) {
      health.check("grid", grid::readiness).liveness("grid", grid::liveness);
      started.push(() -> {
        grid.close();
        return Future.succeededFuture();
      });
    }
  }

  /**
   * Joins discovery, migrates and opens the service's database (when it has one) and builds its
   * guarded clients. A failure half-way closes what was opened.
   */
  public static Future<ServiceRuntime> open(Vertx vertx, ServiceSettings settings) {
    return ServiceRegistry.create(vertx)
      .map(registry -> new ServiceRuntime(vertx, settings, registry))
      .compose(runtime -> runtime.openDatabase()
        .map(runtime)
        .recover(err -> runtime.stop().transform(ar -> Future.failedFuture(err))));
  }

  private Future<Void> openDatabase() {
    breakers = new CircuitBreakers(vertx, settings.client());
    serviceClient = new ServiceClient(vertx, registry, breakers, settings.client());
    eventBusClient = new EventBusClient(vertx, breakers, settings.client());
    started.push(serviceClient::close);
    if (settings.db() == null) {
      return Future.succeededFuture();
    }
    return Database.open(vertx, settings.db()).map(opened -> {
      pool = opened;
      started.push(pool::close);
      health.database(pool);
      return null;
    });
  }

  public String name() {
    return settings.name();
  }

  public Vertx vertx() {
    return vertx;
  }

  public ServiceSettings settings() {
    return settings;
  }

  public ServiceRegistry registry() {
    return registry;
  }

  public Health health() {
    return health;
  }

  /** The published instance, once the service serves. */
  public ServiceInstance instance() {
    return instance;
  }

  /** The service's own database pool. */
  public Pool pool() {
    if (pool == null) {
      throw new ConfigException(settings.name() + " has no db section");
    }
    return pool;
  }

  /** Kafka as configured ({@link ServiceSettings}); {@code null} when switched off. */
  public KafkaSettings kafka() {
    return settings.kafka();
  }

  /** HTTP calls to other services by name, through discovery. */
  public ServiceClient serviceClient() {
    return serviceClient;
  }

  /** Event-bus requests to other services, through the same circuit breakers. */
  public EventBusClient eventBusClient() {
    return eventBusClient;
  }

  public CircuitBreakers breakers() {
    return breakers;
  }

  /**
   * Verifies access tokens against user-service's JWKS, found through discovery. The keys are
   * loaded in the background from the first call (retried every second for a minute while
   * user-service is not up yet), so the first request does not pay for it.
   */
  public JwtVerifier jwtVerifier() {
    if (verifier == null) {
      verifier = JwtVerifiers.viaDiscovery(settings.auth(), serviceClient);
      warmUp(verifier, 60);
    }
    return verifier;
  }

  /** A handler that lets only requests with a valid access token through. */
  public AuthHandler auth() {
    return new AuthHandler(jwtVerifier());
  }

  private void warmUp(JwtVerifier jwt, int attemptsLeft) {
    jwt.refresh().onFailure(e -> {
      if (attemptsLeft > 1 && stopped == null) {
        vertx.setTimer(1000, id -> warmUp(jwt, attemptsLeft - 1));
      } else if (attemptsLeft <= 1) {
        LOG.info("JWKS not loaded yet ({}); loading on the first request", e.toString());
      }
    });
  }

  /**
   * The router of the service's HTTP server, with the platform's defaults (trace context, body
   * limit, problem+json errors), health and metrics. It listens once the service has started.
   */
  public Router router() {
    if (router == null) {
      router = HttpServers.router(vertx, settings.http());
      health.mount(router);
      Metrics.mount(router);
    }
    return router;
  }

  /** The HTTP server serves operators only (health, metrics) and is not published in discovery. */
  public ServiceRuntime notDiscoverable() {
    discoverable = false;
    return this;
  }

  /** Event-bus handlers, already registered: awaited at start, unregistered at stop. */
  public ServiceRuntime eventBus(List<? extends MessageConsumer<?>> handlers) {
    busHandlers.addAll(handlers);
    return this;
  }

  public ServiceRuntime eventBus(MessageConsumer<?> handler) {
    return eventBus(List.of(handler));
  }

  /** The topics this service publishes to through its outbox: created if missing, relayed from start. */
  public ServiceRuntime outbox(String... topics) {
    relayTopics.addAll(List.of(topics));
    return this;
  }

  /**
   * A consumer built against the service's Kafka, started after the relay and stopped (offsets
   * committed) before it; {@code null} (nothing built) when Kafka is switched off.
   */
  public IdempotentConsumer consumer(java.util.function.Function<KafkaSettings, IdempotentConsumer> consumer) {
    if (settings.kafka() == null) {
      return null;
    }
    IdempotentConsumer built = consumer.apply(settings.kafka());
    consumers.add(built);
    return built;
  }

  /** A task of the service's own, started after the consumers and stopped before them. */
  public <T extends Background> T background(T task) {
    background.add(task);
    return task;
  }

  /** Something the service opened itself, closed at stop after everything declared later. */
  public ServiceRuntime closing(Supplier<Future<?>> close) {
    started.push(close);
    return this;
  }

  /**
   * Starts what the service declared, in order; listens; publishes the instance in discovery. A
   * failure stops what started (by {@link ServiceVerticle}).
   */
  public Future<ServiceRuntime> startDeclared() {
    busHandlers.forEach(handler -> started.push(handler::unregister));
    return Future.all(busHandlers.stream().map(MessageConsumer::completion).toList())
      .compose(v -> startMessaging())
      .compose(v -> {
        background.forEach(task -> {
          task.start();
          started.push(task::stop);
        });
        return serve();
      })
      .map(this);
  }

  private Future<Void> startMessaging() {
    if (relayTopics.isEmpty() && consumers.isEmpty()) {
      return Future.succeededFuture();
    }
    KafkaSettings kafka = settings.kafka();
    if (kafka == null) {
      LOG.warn("kafka is switched off (kafka.enabled=false): {} takes no part in the saga", settings.name());
      return Future.succeededFuture();
    }
    kafkaProbe = KafkaProbe.start(vertx, kafka);
    started.push(kafkaProbe::close);
    health.check("kafka", kafkaProbe::check);
    Future<Void> relayed = relayTopics.isEmpty() ? Future.succeededFuture() : startRelay(kafka);
    return relayed.compose(v -> startConsumers());
  }

  private Future<Void> startRelay(KafkaSettings kafka) {
    OutboxRelay relay = OutboxRelay.create(vertx, pool(), settings.db(), kafka);
    health.check("outbox", relay::backlog);
    MessagingMetrics.watch(vertx, relay, settings.db().database());
    return Topics.ensure(vertx, kafka, relayTopics.toArray(String[]::new))
      .compose(v -> {
        started.push(relay::stop);
        return relay.start();
      });
  }

  private Future<Void> startConsumers() {
    Future<Void> chain = Future.succeededFuture();
    for (IdempotentConsumer consumer : consumers) {
      chain = chain.compose(v -> {
        MessagingMetrics.watch(vertx, consumer);
        started.push(consumer::stop);
        return consumer.start();
      });
    }
    return chain;
  }

  private Future<Void> serve() {
    return HttpServers.listen(vertx, router(), settings.http())
      .compose(server -> {
        started.push(server::close);
        if (!discoverable) {
          return Future.succeededFuture();
        }
        return registry.publishHttp(settings.name(), settings.http().publicHost(), server.actualPort())
          .map(published -> {
            instance = published;
            // callers stop coming first
            started.push(registry::withdrawAll);
            return null;
          });
      });
  }

  /** Closes everything that started, last started first, each step whatever the previous one did; once. */
  public Future<Void> stop() {
    if (stopped == null) {
      Future<Void> chain = Future.succeededFuture();
      while (!started.isEmpty()) {
        Supplier<Future<?>> close = started.pop();
        chain = chain.transform(ar -> safely(close).<Void>mapEmpty().otherwiseEmpty());
      }
      stopped = chain;
    }
    return stopped;
  }

  private static Future<?> safely(Supplier<Future<?>> close) {
    try {
      return close.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
