package dev.bazaar.platform.db;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.CoreErrorCode;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateOutput;
import org.flywaydb.core.api.output.ValidateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The platform's own tables in every service database, {@code outbox} and {@code processed_events}:
 * migrations under {@value #LOCATION}, history in {@value #HISTORY}, applied after the service's own.
 * The scripts are idempotent and the history starts at a baseline (version 0), so a database whose
 * service migrations created the tables before the platform owned them takes them as they are.
 *
 * <p>Those service migrations (V2 of order, payment, inventory and notification) no longer hold the
 * messaging DDL. A database that applied one of them in its old text would fail Flyway's validation
 * (checksum mismatch); {@link #acceptMovedDdl} realigns the recorded checksum, but only when every
 * mismatch is one of the {@link #SUPERSEDED} texts below and nothing else is wrong. Any other edit of an
 * applied migration still fails the start, as it should.
 */
final class MessagingSchema {
  private static final Logger LOG = LoggerFactory.getLogger(MessagingSchema.class);
  static final String LOCATION = "classpath:db/migration/bazaar_messaging";
  static final String HISTORY = "flyway_messaging_history";
  /**
   * Flyway checksums of the service migrations as they were while they created the messaging tables
   * (order_service V2__saga, payment_service V2__saga, inventory_service V2__outbox_and_processed_events,
   * notification_service V2__order_events_consumer).
   */
  static final Set<Integer> SUPERSEDED = Set.of(-685871458, -1348254981, -1279468800, -2522938);

  private MessagingSchema() {
  }

  /** Applies the platform's messaging migrations with {@code base}'s data source (after the service's own). */
  static MigrateResult migrate(FluentConfiguration base) {
    return new FluentConfiguration(base.getClassLoader()).configuration(base)
      .locations(LOCATION)
      .table(HISTORY)
      .baselineOnMigrate(true)
      .baselineVersion("0")
      .load()
      .migrate();
  }

  /**
   * Repairs {@code service}'s history when, and only when, its validation fails on nothing but checksum
   * mismatches of migrations applied in a {@link #SUPERSEDED} text (migrations not applied yet are fine).
   */
  static void acceptMovedDdl(Flyway service, Set<Integer> superseded) {
    ValidateResult validation = service.validateWithResult();
    if (validation.validationSuccessful) {
      return;
    }
    Map<String, Integer> applied = new HashMap<>();
    for (MigrationInfo info : service.info().applied()) {
      if (info.getVersion() != null) {
        applied.put(info.getVersion().getVersion(), info.getChecksum());
      }
    }
    List<ValidateOutput> mismatches = validation.invalidMigrations.stream()
      .filter(o -> o.errorDetails != null && o.errorDetails.errorCode != CoreErrorCode.RESOLVED_VERSIONED_MIGRATION_NOT_APPLIED)
      .toList();
    boolean onlyMovedDdl = !mismatches.isEmpty() && mismatches.stream().allMatch(o ->
      o.errorDetails.errorCode == CoreErrorCode.CHECKSUM_MISMATCH && superseded.contains(applied.get(o.version)));
    if (onlyMovedDdl) {
      LOG.info("migrations {} were applied with the messaging tables that the platform now owns: recording their new checksums",
        mismatches.stream().map(o -> o.version).toList());
      service.repair();
    }
  }
}
