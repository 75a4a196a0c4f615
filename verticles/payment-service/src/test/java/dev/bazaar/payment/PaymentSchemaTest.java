package dev.bazaar.payment;

import dev.bazaar.platform.messaging.IdempotentConsumer;
import dev.bazaar.platform.messaging.Outbox;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The saga migration holds the platform's outbox and processed_events schemas verbatim. */
class PaymentSchemaTest {

  @Test
  void theSagaMigrationHoldsThePlatformSchemasVerbatim() throws IOException {
    String migration;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("db/migration/payment_service/V2__saga.sql")) {
      assertThat(in).isNotNull();
      migration = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(migration).contains(Outbox.SCHEMA_SQL).contains(IdempotentConsumer.SCHEMA_SQL);
  }
}
