package dev.bazaar.platform.testing;

import dev.bazaar.platform.secrets.Sealer;
import io.vertx.core.json.JsonObject;

/** The card-token sealing key of services under test (order- and payment-service share it). */
public final class TestSeal {
  /** 32 bytes, base64url. */
  public static final String KEY = "dGVzdC1vbmx5LXBheW1lbnQtdG9rZW4tc2VhbC1rZXk";

  private TestSeal() {
  }

  /** The {@code paymentTokenSeal} section of a service's config. */
  public static JsonObject config() {
    return new JsonObject().put("key", KEY);
  }

  public static Sealer sealer() {
    return new Sealer(java.util.Base64.getUrlDecoder().decode(KEY));
  }
}
