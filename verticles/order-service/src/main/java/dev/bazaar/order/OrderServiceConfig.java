package dev.bazaar.order;

import dev.bazaar.platform.boot.ServiceConfig;
import dev.bazaar.platform.boot.ServiceSettings;
import dev.bazaar.platform.config.ConfigException;
import dev.bazaar.platform.config.ConfigReader;
import dev.bazaar.platform.secrets.Sealer;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** order-service configuration, validated at start. */
public record OrderServiceConfig(ServiceSettings service, Pattern paymentTokenPattern, Sealer paymentTokenSeal,
                                 SagaSettings saga) implements ServiceConfig {
  /** DESIGN §4: the provider simulator knows these two; anything else is invalid at order time. */
  public static final String DEFAULT_TOKEN_PATTERN = "^tok_(ok|declined)$";

  public static OrderServiceConfig from(ConfigReader config) {
    return new OrderServiceConfig(
      ServiceSettings.from(config, OrderServiceVerticle.NAME),
      pattern(config.section("payment").optionalString("tokenPattern", DEFAULT_TOKEN_PATTERN)),
      // shared with payment-service only: OrderCreated and StockReserved carry the card token sealed
      Sealer.from(config.section("paymentTokenSeal"), "paymentTokenSeal"),
      SagaSettings.from(config.section("saga")));
  }

  /**
   * The saga's timing. {@code deadlineSeconds} is the customer's patience with the payment
   * provider: payment-service retries an unavailable provider until then (and always tries at
   * least once, however late the order reached it). The sweeper cancels an order still PENDING
   * {@code graceSeconds} after its deadline, and only while the saga's consumer has read every
   * outcome already in Kafka: a restart of our own services, of Kafka or of PostgreSQL delays
   * outcomes, it does not cancel orders. It looks every {@code sweepIntervalMs} and cancels at
   * most {@code sweepBatchSize} orders per transaction.
   */
  public record SagaSettings(int deadlineSeconds, int graceSeconds, long sweepIntervalMs, int sweepBatchSize) {
    public static SagaSettings from(ConfigReader saga) {
      return new SagaSettings(
        saga.integer("deadlineSeconds", 30, 1, 86_400),
        saga.integer("graceSeconds", 60, 0, 86_400),
        saga.longValue("sweepIntervalMs", 5000, 10, 600_000),
        saga.integer("sweepBatchSize", 100, 1, 10_000));
    }
  }

  private static Pattern pattern(String regex) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new ConfigException("payment.tokenPattern is not a valid regular expression: " + e.getDescription());
    }
  }
}
