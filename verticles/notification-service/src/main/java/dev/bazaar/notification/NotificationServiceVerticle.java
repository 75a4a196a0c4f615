package dev.bazaar.notification;

import dev.bazaar.notification.api.NotificationsApi;
import dev.bazaar.notification.api.NotifyHandler;
import dev.bazaar.notification.events.NotificationPush;
import dev.bazaar.notification.events.OrderEventsConsumer;
import dev.bazaar.notification.store.NotificationStore;
import dev.bazaar.platform.boot.ServiceRuntime;
import dev.bazaar.platform.boot.ServiceSettings;
import dev.bazaar.platform.boot.ServiceVerticle;
import dev.bazaar.platform.eventbus.BusRouter;
import io.vertx.core.Future;

/**
 * notification-service: the notifications sent to users. Its API is on the event bus only (the
 * gateway translates HTTP to {@value #API_ADDRESS}; other services notify on
 * {@value #NOTIFY_ADDRESS}); its HTTP server serves health and metrics and is what discovery
 * shows operators. It tells users the outcome of their orders, consuming {@code order-events}.
 */
public class NotificationServiceVerticle extends ServiceVerticle<ServiceSettings> {
  public static final String NAME = "notification-service";
  public static final String API_ADDRESS = "notification-service.api";
  public static final String NOTIFY_ADDRESS = "notification-service.notify";

  public NotificationServiceVerticle() {
    super(NAME, config -> ServiceSettings.from(config, NAME));
  }

  @Override
  protected Future<?> declare(ServiceRuntime runtime, ServiceSettings config) {
    NotificationStore notifications = new NotificationStore(runtime.pool());
    BusRouter api = BusRouter.create(vertx, runtime.jwtVerifier());
    new NotificationsApi(notifications).mount(api);
    NotificationPush push = new NotificationPush(vertx.eventBus());
    runtime.eventBus(new NotifyHandler(notifications, push).register(vertx.eventBus(), NOTIFY_ADDRESS))
      .consumer(kafka -> new OrderEventsConsumer(notifications, push).build(vertx, runtime.pool(), kafka));
    return api.listen(API_ADDRESS).map(runtime::eventBus);
  }
}
