package dev.bazaar.user.security;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * bcrypt through spring-security-crypto, on worker threads (a hash costs tens of milliseconds and
 * must never run on an event loop). Unknown users are checked against a dummy hash so that a login
 * takes as long whether or not the email exists.
 */
public final class PasswordHasher {
  private final Vertx vertx;
  private final BCryptPasswordEncoder encoder;
  private final String dummyHash;

  public PasswordHasher(Vertx vertx, int cost) {
    this.vertx = vertx;
    this.encoder = new BCryptPasswordEncoder(cost);
    this.dummyHash = encoder.encode("not-a-password-of-anyone");
  }

  public Future<String> hash(String password) {
    return vertx.executeBlocking(() -> encoder.encode(password), false);
  }

  /** Does {@code password} match {@code hash}? A null hash (no such user) still costs one check. */
  public Future<Boolean> matches(String password, String hash) {
    return vertx.executeBlocking(() -> {
      boolean ok = encoder.matches(password, hash == null ? dummyHash : hash);
      return ok && hash != null;
    }, false);
  }
}
