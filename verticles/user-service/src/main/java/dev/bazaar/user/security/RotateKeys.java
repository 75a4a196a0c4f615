package dev.bazaar.user.security;

import com.nimbusds.jose.jwk.RSAKey;

import java.nio.file.Path;
import java.time.Clock;

/**
 * {@code scripts/bazaar rotate-keys}: writes a new signing key into the key directory (argument)
 * and prints its {@code kid}. Running user-service instances read it at their next reload.
 */
public final class RotateKeys {
  private RotateKeys() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: RotateKeys KEYS_DIR");
      System.exit(2);
    }
    RSAKey key = SigningKeys.rotate(Path.of(args[0]), Clock.systemUTC());
    System.out.println(key.getKeyID());
  }
}
