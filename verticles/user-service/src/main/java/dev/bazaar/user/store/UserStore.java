package dev.bazaar.user.store;

import dev.bazaar.user.domain.User;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL for the users table. */
public final class UserStore {
  private static final String COLUMNS = "id, email, name, password_hash, roles, created_at";
  private final Pool pool;

  public UserStore(Pool pool) {
    this.pool = pool;
  }

  /** Inserts the user unless the email is taken; empty when it is. */
  public Future<Optional<User>> insert(UUID id, String email, String name, String passwordHash, List<String> roles) {
    return pool.preparedQuery("INSERT INTO users (id, email, name, password_hash, roles) VALUES ($1, $2, $3, $4, $5) "
        + "ON CONFLICT (email) DO NOTHING RETURNING " + COLUMNS)
      .execute(Tuple.of(id, email, name, passwordHash, roles.toArray(String[]::new)))
      .map(UserStore::first);
  }

  public Future<Optional<User>> byEmail(String email) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM users WHERE email = $1")
      .execute(Tuple.of(email))
      .map(UserStore::first);
  }

  public Future<Optional<User>> byId(UUID id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM users WHERE id = $1")
      .execute(Tuple.of(id))
      .map(UserStore::first);
  }

  private static Optional<User> first(RowSet<Row> rows) {
    var iterator = rows.iterator();
    return iterator.hasNext() ? Optional.of(toUser(iterator.next())) : Optional.empty();
  }

  private static User toUser(Row row) {
    OffsetDateTime created = row.getOffsetDateTime("created_at");
    return new User(
      row.getUUID("id"),
      row.getString("email"),
      row.getString("name"),
      row.getString("password_hash"),
      Arrays.asList(row.getArrayOfStrings("roles")),
      created.toInstant());
  }
}
