package dev.bazaar.platform.auth;

import com.nimbusds.jose.jwk.JWKSet;
import dev.bazaar.platform.config.AuthSettings;
import dev.bazaar.platform.http.Problems;
import dev.bazaar.platform.resilience.ServiceClient;
import dev.bazaar.platform.resilience.UpstreamRequest;
import io.vertx.core.Future;

import java.text.ParseException;

/** Token verifiers for services other than the issuer: the JWKS comes from user-service through discovery. */
public final class JwtVerifiers {
  private JwtVerifiers() {
  }

  public static JwtVerifier viaDiscovery(AuthSettings settings, ServiceClient client) {
    return new JwtVerifier(settings, () -> client.send(settings.jwksService(), UpstreamRequest.get(settings.jwksPath()))
      .recover(e -> Future.failedFuture(Problems.fromUpstreamFailure(settings.jwksService(), e)))
      .compose(response -> {
        if (response.status() != 200) {
          return Future.failedFuture("JWKS answered " + response.status());
        }
        try {
          return Future.succeededFuture(JWKSet.parse(response.body().toString()));
        } catch (ParseException e) {
          return Future.failedFuture(new IllegalStateException("invalid JWKS from " + settings.jwksService(), e));
        }
      }));
  }
}
