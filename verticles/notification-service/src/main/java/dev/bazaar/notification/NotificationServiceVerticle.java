package dev.bazaar.notification;

import dev.bazaar.notification.api.NotificationsApi;
import dev.bazaar.notification.api.NotifyHandler;
import dev.bazaar.notification.events.NotificationPush;
import dev.bazaar.notification.events.OrderEventsConsumer;
import dev.bazaar.notification.store.NotificationStore;
import dev.bazaar.platform.auth.JwtVerifier;
import dev.bazaar.platform.boot.ServiceRuntime;
import dev.bazaar.platform.config.ConfigLoader;
import dev.bazaar.platform.db.Database;
import dev.bazaar.platform.eventbus.BusRouter;
import dev.bazaar.platform.messaging.KafkaSettings;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * notification-service: the notifications sent to users. Its API is on the event bus only (the
 * gateway translates HTTP to {@value #API_ADDRESS}; other services notify on
 * {@value #NOTIFY_ADDRESS}); its HTTP server serves health and metrics and is what discovery
 * shows operators. It tells users the outcome of their orders, consuming {@code order-events}.
 */
public class NotificationServiceVerticle extends VerticleBase {
  public static final String NAME = "notification-service";
  public static final String API_ADDRESS = "notification-service.api";
  public static final String NOTIFY_ADDRESS = "notification-service.notify";
  private static final Logger LOG = LoggerFactory.getLogger(NotificationServiceVerticle.class);

  private final List<MessageConsumer<?>> consumers = new CopyOnWriteArrayList<>();
  private ServiceRuntime runtime;
  private Pool pool;

  @Override
  public Future<?> start() {
    return ConfigLoader.load(vertx, NAME, config())
      .map(NotificationServiceConfig::from)
      .compose(config -> Database.open(vertx, config.db())
        .compose(opened -> {
          pool = opened;
          return ServiceRuntime.create(vertx, NAME);
        })
        .compose(created -> {
          runtime = created;
          runtime.clients(config.client());
          runtime.health().database(pool);
          NotificationStore notifications = new NotificationStore(pool);
          JwtVerifier verifier = runtime.jwtVerifier(config.auth());
          verifier.refresh().onFailure(e -> LOG.info("JWKS not loaded yet ({}); loading on the first request", e.toString()));
          BusRouter api = BusRouter.create(vertx, verifier);
          new NotificationsApi(notifications).mount(api);
          return api.listen(API_ADDRESS)
            .compose(consumer -> {
              consumers.add(consumer);
              return new NotifyHandler(notifications, new NotificationPush(vertx.eventBus())).listen(vertx, NOTIFY_ADDRESS);
            })
            .compose(consumer -> {
              consumers.add(consumer);
              return startSaga(config, notifications);
            })
            .compose(v -> runtime.serve(runtime.router(config.http()), config.http()));
        }));
  }

  /** The consumer of order-events: one notification per order outcome. */
  private Future<Void> startSaga(NotificationServiceConfig config, NotificationStore notifications) {
    KafkaSettings kafka = config.kafka();
    if (kafka == null) {
      LOG.warn("no kafka section in the configuration: no notifications from the order saga");
      return Future.succeededFuture();
    }
    return runtime.startConsumer(new OrderEventsConsumer(notifications, new NotificationPush(vertx.eventBus()))
      .build(vertx, pool, kafka)).mapEmpty();
  }

  /** Stops taking requests first (consumers, then discovery and HTTP), then closes the pool. */
  @Override
  public Future<?> stop() {
    return Future.join(consumers.stream().map(MessageConsumer::unregister).toList())
      .transform(ar -> runtime == null ? Future.succeededFuture() : runtime.stop())
      .eventually(() -> pool == null ? Future.succeededFuture() : pool.close());
  }
}
