package dev.bazaar.platform.messaging;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The migrations the integration tests run are exactly the SQL the javadoc tells services to include. */
class MessagingSchemaTest {

  @Test
  void testMigrationsAreTheDocumentedSchema() throws IOException {
    assertThat(resource("db/migration/messaging_test/V1__outbox.sql")).isEqualTo(Outbox.SCHEMA_SQL);
    assertThat(resource("db/migration/messaging_test/V2__processed_events.sql")).isEqualTo(IdempotentConsumer.SCHEMA_SQL);
  }

  private static String resource(String path) throws IOException {
    try (InputStream in = MessagingSchemaTest.class.getClassLoader().getResourceAsStream(path)) {
      assertThat(in).as(path).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
