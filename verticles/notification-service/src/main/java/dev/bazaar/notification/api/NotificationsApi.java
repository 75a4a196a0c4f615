package dev.bazaar.notification.api;

import dev.bazaar.notification.domain.Ids;
import dev.bazaar.notification.store.NotificationStore;
import dev.bazaar.platform.eventbus.BusContext;
import dev.bazaar.platform.eventbus.BusReply;
import dev.bazaar.platform.eventbus.BusRouter;
import dev.bazaar.platform.eventbus.BusRouter.Access;
import dev.bazaar.platform.http.ApiException;
import dev.bazaar.platform.http.PageRequest;
import dev.bazaar.platform.http.Validation;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The public notifications API, served on the event bus at {@code notification-service.api}
 * (the gateway translates HTTP to it):
 * <ul>
 *   <li>{@code GET /api/v1/notifications?page=&size=&unread=true} → 200 {@code {items, page, size, total}}:
 *       the caller's own notifications newest first (admins too see only their own);</li>
 *   <li>{@code POST /api/v1/notifications/{id}/read} → 200 the notification, now read; 404 when it
 *       is someone else's, unknown, or the id is no UUID.</li>
 * </ul>
 */
public final class NotificationsApi {
  public static final int DEFAULT_PAGE_SIZE = 20;

  private final NotificationStore notifications;

  public NotificationsApi(NotificationStore notifications) {
    this.notifications = notifications;
  }

  public void mount(BusRouter router) {
    router.route(HttpMethod.GET, "/api/v1/notifications", Access.AUTHENTICATED, this::list)
      .route(HttpMethod.POST, "/api/v1/notifications/:id/read", Access.AUTHENTICATED, this::markRead);
  }

  private Future<BusReply> list(BusContext ctx) {
    PageRequest page = ctx.page(DEFAULT_PAGE_SIZE);
    boolean unreadOnly = unreadOnly(ctx.query("unread"));
    Optional<UUID> caller = Ids.uuid(ctx.principal().userId());
    if (caller.isEmpty()) {
      return Future.succeededFuture(BusReply.json(200, page.toJson(List.of(), 0)));
    }
    return notifications.forUser(caller.get(), unreadOnly, page.offset(), page.size())
      .map(found -> BusReply.json(200, page.toJson(found.items().stream().map(NotificationJson::of).toList(), found.total())));
  }

  private Future<BusReply> markRead(BusContext ctx) {
    // Someone else's notification is as absent as a missing one (no enumeration).
    ApiException absent = ApiException.notFound("No such notification.");
    Optional<UUID> id = Ids.uuid(ctx.pathParam("id"));
    Optional<UUID> caller = Ids.uuid(ctx.principal().userId());
    if (id.isEmpty() || caller.isEmpty()) {
      return Future.failedFuture(absent);
    }
    return notifications.markRead(id.get(), caller.get())
      .compose(marked -> marked
        .map(notification -> Future.succeededFuture(BusReply.json(200, NotificationJson.of(notification))))
        .orElseGet(() -> Future.failedFuture(absent)));
  }

  /** {@code unread=true} keeps the unread ones only; absent or {@code false} means all. */
  private static boolean unreadOnly(String raw) {
    if (raw == null || raw.isEmpty() || raw.equals("false")) {
      return false;
    }
    if (raw.equals("true")) {
      return true;
    }
    new Validation().reject("unread", "must be true or false").check();
    return false;
  }
}
