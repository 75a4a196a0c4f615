package dev.bazaar.user.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.bazaar.platform.config.AuthSettings;
import dev.bazaar.user.domain.User;

import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/** Issues RS256 access tokens (signed by the ring's current key, named by {@code kid}): iss, aud, sub (user id), email, roles, iat, nbf, exp, jti. */
public record TokenIssuer(SigningKeys keys, AuthSettings settings, int ttlSeconds) {
  public String issue(User user) {
    Instant now = Instant.now();
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
      .issuer(settings.issuer())
      .audience(settings.audience())
      .subject(user.id().toString())
      .claim("email", user.email())
      .claim("roles", user.roles())
      .issueTime(Date.from(now))
      .notBeforeTime(Date.from(now))
      .expirationTime(Date.from(now.plusSeconds(ttlSeconds)))
      .jwtID(UUID.randomUUID().toString())
      .build();
    SigningKeys.Signing signing = keys.current();
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256)
      .keyID(signing.key().getKeyID())
      .type(JOSEObjectType.JWT)
      .build();
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(signing.signer());
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign token", e);
    }
    return jwt.serialize();
  }
}
