package dev.bazaar.platform.db;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.List;

/**
 * One page of a listing and how many items the whole listing holds: what every paged store query
 * answers. The items and the count are two queries, sent together.
 */
public record Page<T>(List<T> items, long total) {

  /** The page once both its {@code items} and the count of the whole listing have come. */
  public static <T> Future<Page<T>> of(Future<List<T>> items, Future<Long> total) {
    return Future.all(items, total).map(both -> new Page<>(items.result(), total.result()));
  }

  /** The one number a {@code SELECT count(*) ...} query answers for {@code params}. */
  public static Future<Long> count(SqlClient client, String sql, Tuple params) {
    return client.preparedQuery(sql).execute(params).map(rows -> rows.iterator().next().getLong(0));
  }
}
