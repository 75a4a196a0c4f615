package dev.bazaar.order;

import dev.bazaar.platform.config.ConfigException;
import dev.bazaar.platform.config.ConfigReader;
import dev.bazaar.platform.testing.TestSeal;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OrderServiceConfigTest {
  static final JsonObject DB = new JsonObject().put("database", "order_service").put("user", "order_service").put("password", "pw");
  static final JsonObject SEAL = TestSeal.config();

  @Test
  void paymentTokensDefaultToTheSimulatorsTwo() {
    OrderServiceConfig config = OrderServiceConfig.from(ConfigReader.of(new JsonObject().put("db", DB).put("paymentTokenSeal", SEAL), Map.of()));
    assertThat(config.paymentTokenPattern().matcher("tok_ok").matches()).isTrue();
    assertThat(config.paymentTokenPattern().matcher("tok_declined").matches()).isTrue();
    assertThat(config.paymentTokenPattern().matcher("tok_other").matches()).isFalse();
  }

  @Test
  void aBrokenTokenPatternStopsTheStart() {
    JsonObject raw = new JsonObject().put("db", DB).put("paymentTokenSeal", SEAL)
      .put("payment", new JsonObject().put("tokenPattern", "tok_("));
    assertThatThrownBy(() -> OrderServiceConfig.from(ConfigReader.of(raw, Map.of())))
      .isInstanceOf(ConfigException.class).hasMessageContaining("payment.tokenPattern");
  }

  @Test
  void theDatabaseIsRequired() {
    assertThatThrownBy(() -> OrderServiceConfig.from(ConfigReader.of(new JsonObject(), Map.of())))
      .isInstanceOf(ConfigException.class).hasMessageContaining("db.");
  }

  @Test
  void theSagaAndKafkaHaveDefaults() {
    OrderServiceConfig config = OrderServiceConfig.from(ConfigReader.of(new JsonObject().put("db", DB).put("paymentTokenSeal", SEAL), Map.of()));
    assertThat(config.saga()).isEqualTo(new OrderServiceConfig.SagaSettings(30, 60, 5000, 100));
    assertThat(config.service().kafka().consumerGroup()).isEqualTo("order-service");
  }

  @Test
  void theDeadlineComesFromTheEnvironmentAndIsBounded() {
    JsonObject raw = new JsonObject().put("db", DB).put("paymentTokenSeal", SEAL)
      .put("saga", new JsonObject().put("deadlineSeconds", "${BAZAAR_ORDER_DEADLINE_SECONDS:30}"));
    assertThat(OrderServiceConfig.from(ConfigReader.of(raw, Map.of("BAZAAR_ORDER_DEADLINE_SECONDS", "7"))).saga().deadlineSeconds())
      .isEqualTo(7);
    JsonObject zero = new JsonObject().put("db", DB).put("paymentTokenSeal", SEAL).put("saga", new JsonObject().put("deadlineSeconds", 0));
    assertThatThrownBy(() -> OrderServiceConfig.from(ConfigReader.of(zero, Map.of())))
      .isInstanceOf(ConfigException.class).hasMessageContaining("saga.deadlineSeconds");
  }

  @Test
  void theCardTokenSealingKeyIsRequiredAndMayComeFromTheEnvironment() {
    assertThatThrownBy(() -> OrderServiceConfig.from(ConfigReader.of(new JsonObject().put("db", DB), Map.of())))
      .isInstanceOf(ConfigException.class).hasMessageContaining("paymentTokenSeal.key");
    JsonObject raw = new JsonObject().put("db", DB)
      .put("paymentTokenSeal", new JsonObject().put("key", "${BAZAAR_PAYMENT_TOKEN_KEY:}"));
    OrderServiceConfig config = OrderServiceConfig.from(ConfigReader.of(raw, Map.of("BAZAAR_PAYMENT_TOKEN_KEY", TestSeal.KEY)));
    String sealed = config.paymentTokenSeal().seal("tok_ok", "order-1");
    assertThat(TestSeal.sealer().unseal(sealed, "order-1")).isEqualTo("tok_ok");
  }
}
