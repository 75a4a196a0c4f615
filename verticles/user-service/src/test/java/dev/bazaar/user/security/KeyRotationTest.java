package dev.bazaar.user.security;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import dev.bazaar.platform.auth.JwtVerifier;
import dev.bazaar.platform.auth.Principal;
import dev.bazaar.platform.config.AuthSettings;
import dev.bazaar.platform.http.ApiException;
import dev.bazaar.user.domain.User;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The key ring: rotation, the JWKS during and after it, and old tokens until they expire. */
class KeyRotationTest {
  private static final Duration RETENTION = Duration.ofSeconds(3600 + 300);
  private static final Duration ACTIVATION = Duration.ofSeconds(30);
  private static final AuthSettings AUTH = new AuthSettings("bazaar-user-service", "bazaar-api", "user-service", "/.well-known/jwks.json");

  @TempDir
  Path dir;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T06:00:00Z"));

  @Test
  void oldTokensVerifyAfterRotationNewTokensCarryTheNewKidAndTheOldKeyLeavesAfterItsTokensExpired() throws Exception {
    SigningKeys keys = SigningKeys.open(dir, RETENTION, ACTIVATION, clock);
    TokenIssuer issuer = new TokenIssuer(keys, AUTH, 3600);
    String oldToken = issuer.issue(user());
    String oldKid = kid(oldToken);
    assertThat(kids(keys)).containsExactly(oldKid);

    clock.advance(Duration.ofDays(30));
    String newKid = SigningKeys.rotate(dir, clock).getKeyID();
    keys.reload();
    assertThat(newKid).isNotEqualTo(oldKid);
    assertThat(kids(keys)).as("the new key is published before it signs").containsExactlyInAnyOrder(oldKid, newKid);
    assertThat(kid(issuer.issue(user()))).as("not yet active").isEqualTo(oldKid);

    clock.advance(ACTIVATION);
    String newToken = issuer.issue(user());
    assertThat(kid(newToken)).isEqualTo(newKid);
    assertThat(kids(keys)).containsExactlyInAnyOrder(oldKid, newKid);
    JwtVerifier verifier = verifier(keys);
    assertThat(verify(verifier, oldToken)).isNotNull();
    assertThat(verify(verifier, newToken)).isNotNull();

    clock.advance(RETENTION);
    keys.reload();
    assertThat(kids(keys)).as("retired exactly one retention ago: still there").containsExactlyInAnyOrder(oldKid, newKid);

    clock.advance(Duration.ofSeconds(1));
    assertThat(kids(keys)).containsExactly(newKid);
    keys.reload();
    assertThat(kids(keys)).containsExactly(newKid);
    try (var files = Files.list(dir)) {
      assertThat(files.toList()).as("the retired key's file is deleted").hasSize(1);
    }
    JwtVerifier fresh = verifier(keys);
    assertThat(verify(fresh, newToken)).isNotNull();
    assertThat(fresh.verify(oldToken).cause()).isInstanceOf(ApiException.class)
      .hasMessageContaining("unknown key");
  }

  @Test
  void anotherInstanceSharingTheDirectoryPicksTheNewKeyUpOnReload() throws Exception {
    SigningKeys first = SigningKeys.open(dir, RETENTION, Duration.ZERO, clock);
    SigningKeys second = SigningKeys.open(dir, RETENTION, Duration.ZERO, clock);
    assertThat(second.current().key().getKeyID()).isEqualTo(first.current().key().getKeyID());

    clock.advance(Duration.ofMinutes(1));
    RSAKey rotated = SigningKeys.rotate(dir, clock);
    assertThat(second.current().key().getKeyID()).as("not read yet").isNotEqualTo(rotated.getKeyID());
    second.reload();
    assertThat(second.current().key().getKeyID()).isEqualTo(rotated.getKeyID());
    assertThat(Files.getPosixFilePermissions(dir.resolve("user-service-signing-key-" + clock.millis() + ".json")))
      .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  }

  @Test
  void severalRotationsKeepOnlyTheKeysWhoseTokensMayStillBeValid() throws Exception {
    SigningKeys keys = SigningKeys.open(dir, RETENTION, ACTIVATION, clock);
    String k1 = keys.current().key().getKeyID();
    clock.advance(Duration.ofDays(1));
    String k2 = SigningKeys.rotate(dir, clock).getKeyID();
    clock.advance(Duration.ofMinutes(10));
    String k3 = SigningKeys.rotate(dir, clock).getKeyID();
    keys.reload();
    clock.advance(ACTIVATION);
    assertThat(keys.current().key().getKeyID()).isEqualTo(k3);
    assertThat(kids(keys)).containsExactlyInAnyOrder(k1, k2, k3);
    clock.advance(RETENTION.minusMinutes(5));
    assertThat(kids(keys)).as("k1 retired when k2 became active, 10 min before k2 retired").containsExactlyInAnyOrder(k2, k3);
    clock.advance(Duration.ofMinutes(10));
    assertThat(kids(keys)).containsExactly(k3);
  }

  private static User user() {
    return new User(UUID.randomUUID(), "a@example.com", "A", "hash", List.of(User.CUSTOMER), Instant.now());
  }

  private static String kid(String token) throws Exception {
    return SignedJWT.parse(token).getHeader().getKeyID();
  }

  private static List<String> kids(SigningKeys keys) {
    return keys.publicSet().getKeys().stream().map(JWK::getKeyID).toList();
  }

  private static JwtVerifier verifier(SigningKeys keys) {
    return new JwtVerifier(AUTH, () -> Future.succeededFuture(keys.publicSet()));
  }

  private static Principal verify(JwtVerifier verifier, String token) {
    Future<Principal> result = verifier.verify(token);
    assertThat(result.succeeded()).as(String.valueOf(result.cause())).isTrue();
    return result.result();
  }

  private static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
