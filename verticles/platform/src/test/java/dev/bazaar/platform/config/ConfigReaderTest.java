package dev.bazaar.platform.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigReaderTest {

  @Test
  void placeholdersTakeTheEnvironmentOrTheirDefault() {
    JsonObject raw = new JsonObject()
      .put("http", new JsonObject().put("port", "${BAZAAR_GATEWAY_PORT:8080}").put("host", "${BIND:127.0.0.1}"));
    ConfigReader config = ConfigReader.of(raw, Map.of("BAZAAR_GATEWAY_PORT", "9090"));
    assertThat(config.section("http").integer("port", 0, 1, 65535)).isEqualTo(9090);
    assertThat(config.section("http").string("host")).isEqualTo("127.0.0.1");
  }

  @Test
  void aMissingVariableWithoutDefaultNamesTheKeyAndTheVariable() {
    JsonObject raw = new JsonObject().put("db", new JsonObject().put("password", "${DB_PASSWORD}"));
    assertThatThrownBy(() -> ConfigReader.of(raw, Map.of()))
      .isInstanceOf(ConfigException.class)
      .hasMessageContaining("db.password")
      .hasMessageContaining("DB_PASSWORD");
  }

  @Test
  void badValuesFailWithTheFullKeyPath() {
    ConfigReader config = ConfigReader.of(new JsonObject().put("http", new JsonObject().put("port", "eighty")), Map.of());
    assertThatThrownBy(() -> config.section("http").integer("port", 0, 0, 65535))
      .isInstanceOf(ConfigException.class).hasMessageContaining("http.port must be a number");
    ConfigReader outOfRange = ConfigReader.of(new JsonObject().put("port", 70000), Map.of());
    assertThatThrownBy(() -> outOfRange.integer("port", 0, 0, 65535))
      .hasMessageContaining("port must be between 0 and 65535");
    assertThatThrownBy(() -> ConfigReader.of(new JsonObject(), Map.of()).string("database"))
      .hasMessageContaining("database is required");
  }

  @Test
  void settingsRecordsApplyDefaults() {
    HttpSettings http = HttpSettings.from(ConfigReader.of(new JsonObject(), Map.of()));
    assertThat(http.port()).isZero();
    assertThat(http.bodyLimitBytes()).isEqualTo(1024 * 1024);
    ClientSettings client = ClientSettings.from(ConfigReader.of(new JsonObject(), Map.of()));
    assertThat(client.maxAttempts()).isEqualTo(3);
    assertThat(client.backoffBaseMs()).isEqualTo(100);
  }

  @Test
  void clientSettingsTakeWhatIsLeftOutFromTheGivenDefaultsAndBoundWhatIsSet() {
    ClientSettings defaults = new ClientSettings(1000, 1, 100, 2000, 1000, 5, 2000, 32, 256);
    assertThat(ClientSettings.from(ConfigReader.of(new JsonObject().put("poolSize", 8), Map.of()), defaults))
      .isEqualTo(new ClientSettings(1000, 1, 100, 2000, 1000, 5, 2000, 8, 256));
    assertThat(ClientSettings.from(ConfigReader.of(new JsonObject(), Map.of()))).isEqualTo(ClientSettings.DEFAULTS);
    assertThatThrownBy(() -> ClientSettings.from(ConfigReader.of(new JsonObject().put("poolSize", 0), Map.of()), defaults))
      .isInstanceOf(ConfigException.class).hasMessageContaining("poolSize");
  }
}
