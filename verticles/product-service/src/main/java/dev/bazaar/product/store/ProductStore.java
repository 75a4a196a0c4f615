package dev.bazaar.product.store;

import dev.bazaar.product.domain.Product;
import dev.bazaar.product.domain.ProductDraft;
import dev.bazaar.product.domain.SkuTakenException;
import dev.bazaar.platform.db.Page;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL for the products table. */
public final class ProductStore {
  private static final String COLUMNS = "id, sku, name, description, price_cents, currency, created_at, updated_at";
  private static final String UNIQUE_VIOLATION = "23505";
  // $1 is an ILIKE pattern whose wildcards in user text are escaped with '\', or NULL for "everything"
  private static final String MATCHES = "($1::text IS NULL OR name ILIKE $1 ESCAPE '\\' OR description ILIKE $1 ESCAPE '\\')";

  private final Pool pool;

  public ProductStore(Pool pool) {
    this.pool = pool;
  }

  /** Inserts a new product; fails with {@link SkuTakenException} when its SKU is taken. */
  public Future<Product> insert(UUID id, ProductDraft draft) {
    return pool.preparedQuery("INSERT INTO products (id, sku, name, description, price_cents, currency) "
        + "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (sku) DO NOTHING RETURNING " + COLUMNS)
      .execute(Tuple.of(id, draft.sku(), draft.name(), draft.description(), draft.priceCents(), draft.currency()))
      .map(rows -> first(rows).orElseThrow(() -> new SkuTakenException(draft.sku())));
  }

  /**
   * Replaces every writable field of product {@code id}; empty when there is no such product, a
   * {@link SkuTakenException} when another product has the new SKU.
   */
  public Future<Optional<Product>> replace(UUID id, ProductDraft draft) {
    return pool.preparedQuery("UPDATE products SET sku = $2, name = $3, description = $4, price_cents = $5, currency = $6, "
        + "updated_at = now() WHERE id = $1 RETURNING " + COLUMNS)
      .execute(Tuple.of(id, draft.sku(), draft.name(), draft.description(), draft.priceCents(), draft.currency()))
      .recover(error -> Future.failedFuture(isUniqueViolation(error) ? new SkuTakenException(draft.sku()) : error))
      .map(ProductStore::first);
  }

  public Future<Optional<Product>> byId(UUID id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM products WHERE id = $1")
      .execute(Tuple.of(id))
      .map(ProductStore::first);
  }

  /** The products among {@code ids} that exist, in id order. */
  public Future<List<Product>> byIds(List<UUID> ids) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM products WHERE id = ANY($1) ORDER BY id")
      .execute(Tuple.tuple().addArrayOfUUID(ids.toArray(UUID[]::new)))
      .map(ProductStore::all);
  }

  /** A page of the products matching {@code likePattern} (null: all), in the stable order (name, id). */
  public Future<Page<Product>> search(String likePattern, int offset, int limit) {
    Future<List<Product>> items = pool.preparedQuery("SELECT " + COLUMNS + " FROM products WHERE " + MATCHES
        + " ORDER BY name, id LIMIT $2 OFFSET $3")
      .execute(Tuple.of(likePattern, limit, offset))
      .map(ProductStore::all);
    return Page.of(items, Page.count(pool, "SELECT count(*) FROM products WHERE " + MATCHES, Tuple.of(likePattern)));
  }

  private static boolean isUniqueViolation(Throwable error) {
    return error instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState());
  }

  private static Optional<Product> first(RowSet<Row> rows) {
    var iterator = rows.iterator();
    return iterator.hasNext() ? Optional.of(toProduct(iterator.next())) : Optional.empty();
  }

  private static List<Product> all(RowSet<Row> rows) {
    List<Product> products = new ArrayList<>(rows.rowCount());
    rows.forEach(row -> products.add(toProduct(row)));
    return products;
  }

  private static Product toProduct(Row row) {
    return new Product(
      row.getUUID("id"),
      row.getString("sku"),
      row.getString("name"),
      row.getString("description"),
      row.getInteger("price_cents"),
      row.getString("currency"),
      row.getOffsetDateTime("created_at").toInstant(),
      row.getOffsetDateTime("updated_at").toInstant());
  }
}
