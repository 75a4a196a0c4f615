package dev.bazaar.platform.config;

/** What a valid access token looks like: who issued it and for whom. */
public record AuthSettings(String issuer, String audience, String jwksService, String jwksPath) {

  public static AuthSettings from(ConfigReader auth) {
    return new AuthSettings(
      auth.optionalString("issuer", "bazaar-user-service"),
      auth.optionalString("audience", "bazaar-api"),
      auth.optionalString("jwksService", "user-service"),
      auth.optionalString("jwksPath", "/.well-known/jwks.json"));
  }
}
