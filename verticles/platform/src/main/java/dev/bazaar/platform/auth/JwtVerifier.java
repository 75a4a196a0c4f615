package dev.bazaar.platform.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import dev.bazaar.platform.config.AuthSettings;
import dev.bazaar.platform.http.ApiException;
import io.vertx.core.Future;

import java.text.ParseException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Verifies Bazaar access tokens with nimbus-jose-jwt: RS256 only (so {@code alg=none} and
 * HS256-with-the-public-key confusion are rejected before any key is used), signature by a key of
 * the issuer's JWKS, and the claims iss, aud, exp, nbf (60 s skew), sub. The JWKS is loaded
 * through {@code jwksSource}, cached, and reloaded when a token names an unknown {@code kid}
 * (at most once per 5 s). Verified tokens are cached until they expire.
 */
public final class JwtVerifier {
  private static final long REFRESH_MIN_INTERVAL_MS = 5000;

  private final Supplier<Future<JWKSet>> jwksSource;
  private final DefaultJWTClaimsVerifier<com.nimbusds.jose.proc.SecurityContext> claimsVerifier;
  private final AtomicReference<Map<String, JWSVerifier>> verifiers = new AtomicReference<>(Map.of());
  private final AtomicLong lastRefresh = new AtomicLong();
  private final Cache<String, Principal> verified = Caffeine.newBuilder()
    .maximumSize(50_000)
    .expireAfterWrite(Duration.ofMinutes(5))
    .build();
  private volatile Future<Void> refreshing;

  public JwtVerifier(AuthSettings settings, Supplier<Future<JWKSet>> jwksSource) {
    this.jwksSource = jwksSource;
    this.claimsVerifier = new DefaultJWTClaimsVerifier<>(
      settings.audience(),
      new JWTClaimsSet.Builder().issuer(settings.issuer()).build(),
      new HashSet<>(List.of("sub", "exp", "iat")));
    this.claimsVerifier.setMaxClockSkew(60);
  }

  /** The principal of a valid token, or a failed future with a 401 {@link ApiException}. */
  public Future<Principal> verify(String token) {
    Principal cached = verified.getIfPresent(token);
    if (cached != null) {
      return cached.expiresAtEpochSecond() > System.currentTimeMillis() / 1000
        ? Future.succeededFuture(cached)
        : Future.failedFuture(ApiException.unauthorized("The token has expired."));
    }
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
    } catch (ParseException | RuntimeException e) {
      return Future.failedFuture(ApiException.unauthorized("The token is not a signed JWT."));
    }
    if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
      return Future.failedFuture(ApiException.unauthorized("The token's algorithm is not accepted."));
    }
    String kid = jwt.getHeader().getKeyID();
    if (kid == null) {
      return Future.failedFuture(ApiException.unauthorized("The token names no key."));
    }
    JWSVerifier verifier = verifiers.get().get(kid);
    if (verifier != null) {
      return check(token, jwt, verifier);
    }
    return refresh()
      .recover(e -> Future.failedFuture(new ApiException(503, "auth-unavailable", "Service unavailable",
        "Tokens cannot be verified right now.", null, Map.of("Retry-After", "1"))))
      .compose(v -> {
      JWSVerifier reloaded = verifiers.get().get(kid);
      return reloaded == null
        ? Future.failedFuture(ApiException.unauthorized("The token was signed by an unknown key."))
        : check(token, jwt, reloaded);
    });
  }

  /**
   * Loads the JWKS now (also used at start so the first request does not wait). Concurrent callers
   * share one load; a successful load is reused for 5 s, a failed one may be retried at once.
   */
  public synchronized Future<Void> refresh() {
    long now = System.currentTimeMillis();
    if (refreshing != null && (!refreshing.isComplete()
      || (refreshing.succeeded() && now - lastRefresh.get() < REFRESH_MIN_INTERVAL_MS))) {
      return refreshing;
    }
    lastRefresh.set(now);
    refreshing = jwksSource.get().map(set -> {
      Map<String, JWSVerifier> next = new ConcurrentHashMap<>();
      for (JWK key : set.getKeys()) {
        if (key instanceof RSAKey rsa && key.getKeyID() != null) {
          try {
            next.put(key.getKeyID(), new RSASSAVerifier(rsa.toRSAPublicKey()));
          } catch (JOSEException e) {
            // a key we cannot use is skipped; tokens naming it fail as unknown
          }
        }
      }
      verifiers.set(Map.copyOf(next));
      return null;
    });
    return refreshing;
  }

  private Future<Principal> check(String token, SignedJWT jwt, JWSVerifier verifier) {
    try {
      if (!jwt.verify(verifier)) {
        return Future.failedFuture(ApiException.unauthorized("The token's signature is invalid."));
      }
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      claimsVerifier.verify(claims, null);
      Principal principal = new Principal(
        claims.getSubject(),
        claims.getStringClaim("email"),
        Set.copyOf(claims.getStringListClaim("roles") == null ? List.of() : claims.getStringListClaim("roles")),
        claims.getExpirationTime().toInstant().getEpochSecond());
      verified.put(token, principal);
      return Future.succeededFuture(principal);
    } catch (BadJWTException e) {
      return Future.failedFuture(ApiException.unauthorized("The token is not valid: " + e.getMessage()));
    } catch (JOSEException | ParseException | RuntimeException e) {
      return Future.failedFuture(ApiException.unauthorized("The token is not valid."));
    }
  }
}
