package dev.bazaar.platform.db;

import dev.bazaar.platform.config.DatabaseSettings;
import dev.bazaar.platform.testing.TestPostgres;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The platform's messaging tables on a database whose service migrations created them before the
 * platform owned them (a {@code .bazaar/} from before), and on a new one.
 */
class MessagingSchemaIT {

  @Test
  void aDatabaseWhoseServiceCreatedTheTablesKeepsThemAndItsData() throws Exception {
    DatabaseSettings db = TestPostgres.database("messaging_legacy");
    // before: the service's own V1 and V2 held the messaging DDL (the platform's scripts stand in for them)
    Flyway before = config(db).locations(MessagingSchema.LOCATION).load();
    before.migrate();
    Set<Integer> superseded = new HashSet<>();
    for (MigrationInfo info : before.info().applied()) {
      superseded.add(info.getChecksum());
    }
    TestPostgres.execute(db, "INSERT INTO outbox (topic, record_key, event_id, type, occurred_at, payload)"
      + " VALUES ('t', 'k', gen_random_uuid(), 'T', now(), '{}')");

    // after: the same versions without the DDL, and a new migration
    Flyway after = config(db).locations("classpath:db/migration/legacy_service").load();
    assertThatThrownBy(after::migrate).as("an edited applied migration fails validation").isInstanceOf(FlywayException.class);
    MessagingSchema.acceptMovedDdl(after, Set.of(12345));
    assertThatThrownBy(after::migrate).as("only the known old texts are accepted").isInstanceOf(FlywayException.class);

    MessagingSchema.acceptMovedDdl(after, superseded);
    assertThat(after.migrate().migrationsExecuted).isEqualTo(1);
    MessagingSchema.migrate(config(db));
    MessagingSchema.migrate(config(db)); // and again: nothing to do

    assertThat(TestPostgres.count(db, "SELECT count(*) FROM outbox")).isEqualTo(1);
    assertThat(TestPostgres.count(db, "SELECT count(*) FROM things")).isZero();
    assertThat(TestPostgres.count(db, "SELECT count(*) FROM pg_trigger WHERE tgname = 'outbox_notify'")).isEqualTo(1);
    assertThat(TestPostgres.count(db, "SELECT count(*) FROM " + MessagingSchema.HISTORY + " WHERE success")).isEqualTo(3); // baseline, V1, V2
    after.validate();
  }

  @Test
  void aNewDatabaseGetsTheTablesFromThePlatform() throws Exception {
    DatabaseSettings db = TestPostgres.database("messaging_new");
    config(db).locations("classpath:db/migration/legacy_service").load().migrate();
    MessagingSchema.migrate(config(db));
    TestPostgres.execute(db, "INSERT INTO processed_events (consumer, event_id) VALUES ('c', gen_random_uuid())");
    TestPostgres.execute(db, "INSERT INTO outbox (topic, record_key, event_id, type, occurred_at, payload)"
      + " VALUES ('t', 'k', gen_random_uuid(), 'T', now(), '{}')");
    assertThat(TestPostgres.count(db, "SELECT count(*) FROM pg_trigger WHERE tgname = 'outbox_notify'")).isEqualTo(1);
    assertThat(TestPostgres.count(db, "SELECT count(*) FROM outbox WHERE published_at IS NULL")).isEqualTo(1);
  }

  private static FluentConfiguration config(DatabaseSettings db) {
    return Flyway.configure(MessagingSchemaIT.class.getClassLoader()).dataSource(db.jdbcUrl(), db.user(), db.password());
  }
}
