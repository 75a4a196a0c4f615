package dev.bazaar.provider;

import dev.bazaar.platform.config.ConfigException;
import dev.bazaar.platform.config.ConfigReader;
import dev.bazaar.provider.domain.FaultSettings;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PaymentProviderConfigTest {
  /** The shape of conf/payment-provider.json. */
  private static final JsonObject CONF = new JsonObject("""
    {
      "http": {"host": "${BAZAAR_PROVIDER_HOST:127.0.0.1}", "port": "${BAZAAR_PROVIDER_PORT:9300}", "bodyLimitBytes": 65536},
      "charges": {"maxCharges": "${BAZAAR_PROVIDER_MAX_CHARGES:100000}"},
      "faults": {
        "latencyMs": "${BAZAAR_PROVIDER_LATENCY_MS:0}",
        "latencyJitterMs": "${BAZAAR_PROVIDER_LATENCY_JITTER_MS:0}",
        "errorRate": "${BAZAAR_PROVIDER_ERROR_RATE:0}",
        "timeoutRate": "${BAZAAR_PROVIDER_TIMEOUT_RATE:0}",
        "timeoutMs": "${BAZAAR_PROVIDER_TIMEOUT_MS:30000}",
        "outage": "${BAZAAR_PROVIDER_OUTAGE:false}",
        "retryAfterSeconds": "${BAZAAR_PROVIDER_RETRY_AFTER_SECONDS:5}"
      }
    }""");

  private static PaymentProviderConfig load(Map<String, String> env) {
    return PaymentProviderConfig.from(ConfigReader.of(CONF, env));
  }

  @Test
  void defaultsListenOnLoopback9300WithoutFaults() {
    PaymentProviderConfig config = load(Map.of());
    assertThat(config.http().host()).isEqualTo("127.0.0.1");
    assertThat(config.http().port()).isEqualTo(9300);
    assertThat(config.http().bodyLimitBytes()).isEqualTo(65536);
    assertThat(config.maxCharges()).isEqualTo(100_000);
    assertThat(config.faults()).isEqualTo(FaultSettings.NONE);
  }

  @Test
  void environmentSetsPortAndFaults() {
    PaymentProviderConfig config = load(Map.of("BAZAAR_PROVIDER_PORT", "9400", "BAZAAR_PROVIDER_LATENCY_MS", "250",
      "BAZAAR_PROVIDER_ERROR_RATE", "0.2", "BAZAAR_PROVIDER_OUTAGE", "true", "BAZAAR_PROVIDER_MAX_CHARGES", "1000000"));
    assertThat(config.http().port()).isEqualTo(9400);
    assertThat(config.maxCharges()).isEqualTo(1_000_000);
    assertThat(config.faults().latencyMs()).isEqualTo(250);
    assertThat(config.faults().errorRate()).isEqualTo(0.2);
    assertThat(config.faults().outage()).isTrue();
  }

  @Test
  void badValuesFailAtStartNamingTheKey() {
    assertThatThrownBy(() -> load(Map.of("BAZAAR_PROVIDER_ERROR_RATE", "lots"))).isInstanceOf(ConfigException.class)
      .hasMessageContaining("faults.errorRate");
    assertThatThrownBy(() -> load(Map.of("BAZAAR_PROVIDER_ERROR_RATE", "1.5"))).isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> load(Map.of("BAZAAR_PROVIDER_ERROR_RATE", "0.6", "BAZAAR_PROVIDER_TIMEOUT_RATE", "0.6")))
      .isInstanceOf(ConfigException.class).hasMessageContaining("at most 1");
    assertThatThrownBy(() -> load(Map.of("BAZAAR_PROVIDER_LATENCY_MS", "-5"))).isInstanceOf(ConfigException.class)
      .hasMessageContaining("faults.latencyMs");
    assertThatThrownBy(() -> load(Map.of("BAZAAR_PROVIDER_MAX_CHARGES", "0"))).isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> load(Map.of("BAZAAR_PROVIDER_OUTAGE", "yes"))).isInstanceOf(ConfigException.class);
  }
}
