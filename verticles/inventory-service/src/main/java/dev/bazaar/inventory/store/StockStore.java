package dev.bazaar.inventory.store;

import dev.bazaar.inventory.domain.StockLevel;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL for the stock table: levels set by admins and read by anyone who asks. */
public final class StockStore {
  private final Pool pool;

  public StockStore(Pool pool) {
    this.pool = pool;
  }

  /** Sets the units available for {@code productId}, creating its stock row on first use. */
  public Future<StockLevel> set(UUID productId, int available) {
    return pool.preparedQuery("INSERT INTO stock (product_id, available) VALUES ($1, $2) "
        + "ON CONFLICT (product_id) DO UPDATE SET available = EXCLUDED.available, updated_at = now() "
        + "RETURNING product_id, available")
      .execute(Tuple.of(productId, available))
      .map(rows -> toLevel(rows.iterator().next()));
  }

  public Future<Optional<StockLevel>> byId(UUID productId) {
    return pool.preparedQuery("SELECT product_id, available FROM stock WHERE product_id = $1")
      .execute(Tuple.of(productId))
      .map(rows -> rows.rowCount() == 0 ? Optional.empty() : Optional.of(toLevel(rows.iterator().next())));
  }

  /** The stock of those of {@code productIds} that have any, in product id order. */
  public Future<List<StockLevel>> levels(List<UUID> productIds) {
    return pool.preparedQuery("SELECT product_id, available FROM stock WHERE product_id = ANY($1) ORDER BY product_id")
      .execute(Tuple.tuple().addArrayOfUUID(productIds.toArray(UUID[]::new)))
      .map(StockStore::all);
  }

  private static List<StockLevel> all(RowSet<Row> rows) {
    List<StockLevel> levels = new ArrayList<>(rows.rowCount());
    rows.forEach(row -> levels.add(toLevel(row)));
    return levels;
  }

  private static StockLevel toLevel(Row row) {
    return new StockLevel(row.getUUID("product_id"), row.getInteger("available"));
  }
}
