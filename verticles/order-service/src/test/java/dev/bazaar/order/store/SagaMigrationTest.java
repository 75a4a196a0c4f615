package dev.bazaar.order.store;

import dev.bazaar.platform.messaging.IdempotentConsumer;
import dev.bazaar.platform.messaging.Outbox;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The saga migration carries the platform's outbox and processed_events schemas verbatim. */
class SagaMigrationTest {
  @Test
  void theMessagingTablesAreExactlyThePlatformsSchema() throws IOException {
    String migration;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("db/migration/order_service/V2__saga.sql")) {
      assertThat(in).isNotNull();
      migration = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(migration).contains(Outbox.SCHEMA_SQL).contains(IdempotentConsumer.SCHEMA_SQL);
  }
}
