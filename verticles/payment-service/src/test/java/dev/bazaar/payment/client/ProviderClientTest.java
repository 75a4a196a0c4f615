package dev.bazaar.payment.client;

import dev.bazaar.platform.config.ConfigException;
import dev.bazaar.platform.config.ConfigReader;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProviderClientTest {

  @Test
  void aChargeIsDecidedByTheStatusAndEverythingElseIsRetried() {
    assertThat(reply(201, "{\"id\":\"ch_1\",\"status\":\"succeeded\"}").result()).isEqualTo(new ChargeReply.Charged("ch_1"));
    assertThat(reply(402, "{\"id\":\"ch_2\",\"status\":\"declined\",\"reason\":\"card_declined\"}").result())
      .isEqualTo(new ChargeReply.Declined("card_declined"));
    assertThat(reply(400, "{\"type\":\"https://bazaar.dev/problems/invalid_token\"}").result())
      .isEqualTo(new ChargeReply.Declined("invalid_token"));
    assertThat(reply(409, "{}").result()).isInstanceOf(ChargeReply.KeyReused.class);
    for (int status : new int[] {404, 405, 413, 302}) {
      assertThat(reply(status, "").cause()).isInstanceOf(ProviderUnavailableException.class);
    }
    assertThat(reply(201, "not json").cause()).as("a charge without an id is no answer").isInstanceOf(ProviderUnavailableException.class);
  }

  @Test
  void theUrlIsParsedAndValidated() {
    ProviderSettings settings = ProviderSettings.from(ConfigReader.of(new JsonObject().put("url", "https://pay.example:8443/api/"), Map.of()));
    assertThat(settings.host()).isEqualTo("pay.example");
    assertThat(settings.port()).isEqualTo(8443);
    assertThat(settings.ssl()).isTrue();
    assertThat(settings.basePath()).isEqualTo("/api");
    ProviderSettings defaults = ProviderSettings.from(ConfigReader.of(new JsonObject(), Map.of()));
    assertThat(defaults.host()).isEqualTo("127.0.0.1");
    assertThat(defaults.port()).isEqualTo(9300);
    assertThat(defaults.calls()).isEqualTo(ProviderSettings.CALL_DEFAULTS);
    for (String bad : new String[] {"ftp://x", "nope", "http://", "http:// bad"}) {
      assertThatThrownBy(() -> ProviderSettings.from(ConfigReader.of(new JsonObject().put("url", bad), Map.of())))
        .as(bad).isInstanceOf(ConfigException.class);
    }
  }

  private static Future<ChargeReply> reply(int status, String body) {
    return ProviderClient.chargeReply(status, Buffer.buffer(body));
  }
}
