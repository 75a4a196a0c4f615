package dev.bazaar.order;

import dev.bazaar.platform.config.AuthSettings;
import dev.bazaar.platform.config.ClientSettings;
import dev.bazaar.platform.config.ConfigException;
import dev.bazaar.platform.config.ConfigReader;
import dev.bazaar.platform.config.DatabaseSettings;
import dev.bazaar.platform.config.HttpSettings;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** order-service configuration, validated at start. */
public record OrderServiceConfig(HttpSettings http, DatabaseSettings db, AuthSettings auth, ClientSettings client,
                                 Pattern paymentTokenPattern) {
  /** DESIGN §4: the provider simulator knows these two; anything else is invalid at order time. */
  public static final String DEFAULT_TOKEN_PATTERN = "^tok_(ok|declined)$";

  public static OrderServiceConfig from(ConfigReader config) {
    return new OrderServiceConfig(
      HttpSettings.from(config.section("http")),
      DatabaseSettings.from(config.section("db")),
      AuthSettings.from(config.section("auth")),
      ClientSettings.from(config.section("client")),
      pattern(config.section("payment").optionalString("tokenPattern", DEFAULT_TOKEN_PATTERN)));
  }

  private static Pattern pattern(String regex) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new ConfigException("payment.tokenPattern is not a valid regular expression: " + e.getDescription());
    }
  }
}
