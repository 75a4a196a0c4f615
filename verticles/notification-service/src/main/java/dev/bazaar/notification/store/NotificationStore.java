package dev.bazaar.notification.store;

import dev.bazaar.notification.domain.NewNotification;
import dev.bazaar.notification.domain.Notification;
import dev.bazaar.platform.db.Page;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL for the notifications table. */
public final class NotificationStore {
  private static final String COLUMNS = "id, user_id, order_id, kind, text, read, created_at";
  private static final String NEWEST_FIRST = " ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3";
  private static final String ALL = "SELECT " + COLUMNS + " FROM notifications WHERE user_id = $1" + NEWEST_FIRST;
  private static final String UNREAD = "SELECT " + COLUMNS + " FROM notifications WHERE user_id = $1 AND NOT read" + NEWEST_FIRST;
  private static final String COUNT_ALL = "SELECT count(*) FROM notifications WHERE user_id = $1";
  private static final String COUNT_UNREAD = "SELECT count(*) FROM notifications WHERE user_id = $1 AND NOT read";

  private final Pool pool;

  public NotificationStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Notification> insert(NewNotification notification) {
    return pool.preparedQuery("INSERT INTO notifications (id, user_id, order_id, kind, text) VALUES ($1, $2, $3, $4, $5)"
        + " RETURNING " + COLUMNS)
      .execute(Tuple.of(UUID.randomUUID(), notification.userId(), notification.orderId(), notification.kind(), notification.text()))
      .map(rows -> toNotification(rows.iterator().next()));
  }

  /**
   * Stores {@code notification} in the caller's transaction unless the order already has one of its
   * kind; answers the stored row, empty when there was one already. (One order's events are
   * consumed one after another, so the check and the insert do not race for one order.)
   */
  public Future<Optional<Notification>> insertOncePerOrder(SqlConnection tx, NewNotification notification) {
    return tx.preparedQuery("INSERT INTO notifications (id, user_id, order_id, kind, text) SELECT $1, $2, $3, $4, $5 "
        + "WHERE NOT EXISTS (SELECT 1 FROM notifications WHERE order_id = $3 AND kind = $4) RETURNING " + COLUMNS)
      .execute(Tuple.of(UUID.randomUUID(), notification.userId(), notification.orderId(), notification.kind(), notification.text()))
      .map(NotificationStore::first);
  }

  /** The user's notifications newest first, only the unread ones when {@code unreadOnly}. */
  public Future<Page<Notification>> forUser(UUID userId, boolean unreadOnly, int offset, int limit) {
    Future<List<Notification>> items = pool.preparedQuery(unreadOnly ? UNREAD : ALL).execute(Tuple.of(userId, (long) limit, (long) offset))
      .map(rows -> {
        List<Notification> page = new ArrayList<>();
        rows.forEach(row -> page.add(toNotification(row)));
        return page;
      });
    return Page.of(items, Page.count(pool, unreadOnly ? COUNT_UNREAD : COUNT_ALL, Tuple.of(userId)));
  }

  /** Marks the user's notification read; empty when it is not theirs or does not exist. */
  public Future<Optional<Notification>> markRead(UUID id, UUID userId) {
    return pool.preparedQuery("UPDATE notifications SET read = true WHERE id = $1 AND user_id = $2 RETURNING " + COLUMNS)
      .execute(Tuple.of(id, userId))
      .map(NotificationStore::first);
  }

  private static Optional<Notification> first(RowSet<Row> rows) {
    var iterator = rows.iterator();
    return iterator.hasNext() ? Optional.of(toNotification(iterator.next())) : Optional.empty();
  }

  private static Notification toNotification(Row row) {
    return new Notification(
      row.getUUID("id"),
      row.getUUID("user_id"),
      row.getUUID("order_id"),
      row.getString("kind"),
      row.getString("text"),
      row.getBoolean("read"),
      row.getOffsetDateTime("created_at").toInstant());
  }
}
