package dev.bazaar.platform.secrets;

import dev.bazaar.platform.config.ConfigException;
import dev.bazaar.platform.config.ConfigReader;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SealerTest {
  private static final String ORDER = "4f8a2c1e-0000-4000-8000-000000000001";

  @TempDir
  Path dir;

  @Test
  void aSealedValueOpensOnlyWithItsKeyForItsContext() {
    Sealer sealer = new Sealer(new byte[32]);
    String sealed = sealer.seal("tok_ok", ORDER);
    assertThat(sealed).startsWith("v1.").doesNotContain("tok_ok");
    assertThat(sealer.seal("tok_ok", ORDER)).as("a fresh nonce each time").isNotEqualTo(sealed);
    assertThat(sealer.unseal(sealed, ORDER)).isEqualTo("tok_ok");

    assertThatThrownBy(() -> sealer.unseal(sealed, "4f8a2c1e-0000-4000-8000-000000000002"))
      .isInstanceOf(IllegalArgumentException.class);
    byte[] other = new byte[32];
    other[0] = 1;
    assertThatThrownBy(() -> new Sealer(other).unseal(sealed, ORDER)).isInstanceOf(IllegalArgumentException.class);
    char last = sealed.charAt(sealed.length() - 2);
    String altered = sealed.substring(0, sealed.length() - 2) + (last == 'A' ? 'B' : 'A') + sealed.charAt(sealed.length() - 1);
    assertThatThrownBy(() -> sealer.unseal(altered, ORDER)).isInstanceOf(IllegalArgumentException.class);
    for (String bad : new String[] {null, "tok_ok", "v1.", "v1.%%%", "v1.AAAA"}) {
      assertThatThrownBy(() -> sealer.unseal(bad, ORDER)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void theKeyFileIsGeneratedOnceAndSharedOrTheKeyIsGiven() throws Exception {
    Path file = dir.resolve("secrets").resolve("payment-token-key");
    ConfigReader fromFile = ConfigReader.of(new JsonObject().put("keyFile", file.toString()), Map.of());
    String sealed = Sealer.from(fromFile, "paymentTokenSeal").seal("tok_ok", ORDER);
    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    assertThat(Sealer.from(fromFile, "paymentTokenSeal").unseal(sealed, ORDER)).as("the second service reads the same key").isEqualTo("tok_ok");
    try (var files = Files.list(file.getParent())) {
      assertThat(files.count()).as("no temporary files left").isEqualTo(1);
    }

    String key = Files.readString(file).strip();
    ConfigReader given = ConfigReader.of(new JsonObject().put("key", Base64.getEncoder().encodeToString(Base64.getUrlDecoder().decode(key)))
      .put("keyFile", dir.resolve("unused").toString()), Map.of());
    assertThat(Sealer.from(given, "paymentTokenSeal").unseal(sealed, ORDER)).isEqualTo("tok_ok");
    assertThat(dir.resolve("unused")).doesNotExist();

    assertThatThrownBy(() -> Sealer.from(ConfigReader.of(new JsonObject().put("key", "c2hvcnQ"), Map.of()), "paymentTokenSeal"))
      .isInstanceOf(ConfigException.class).hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> Sealer.from(ConfigReader.of(new JsonObject(), Map.of()), "paymentTokenSeal"))
      .isInstanceOf(ConfigException.class).hasMessageContaining("paymentTokenSeal.key");
  }
}
