package dev.bazaar.user.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;

/**
 * The RS256 key pair tokens are signed with: generated at first start into {@code keysDir}
 * (0600, never committed) and shared by every instance that reads the same directory. Two
 * instances starting at once race safely: the second one's link fails and it reads the first's key.
 */
public final class SigningKeys {
  private static final String FILE = "user-service-signing-key.json";
  private final RSAKey key;

  private SigningKeys(RSAKey key) {
    this.key = key;
  }

  public static Future<SigningKeys> loadOrCreate(Vertx vertx, Path keysDir) {
    return vertx.executeBlocking(() -> new SigningKeys(loadOrCreate(keysDir)));
  }

  static RSAKey loadOrCreate(Path keysDir) throws IOException, JOSEException, ParseException {
    Path file = keysDir.resolve(FILE);
    if (Files.exists(file)) {
      return RSAKey.parse(Files.readString(file, StandardCharsets.UTF_8));
    }
    Files.createDirectories(keysDir);
    RSAKey generated = new RSAKeyGenerator(2048)
      .keyUse(KeyUse.SIGNATURE)
      .algorithm(JWSAlgorithm.RS256)
      .keyIDFromThumbprint(true)
      .generate();
    Path temp = Files.createTempFile(keysDir, "key", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(temp, generated.toJSONString(), StandardCharsets.UTF_8);
    // A hard link appears atomically and only if the name is free (a rename would replace a key
    // another instance already signs with).
    try {
      Files.createLink(file, temp);
      return generated;
    } catch (FileAlreadyExistsException e) {
      return RSAKey.parse(Files.readString(file, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  public RSAKey privateKey() {
    return key;
  }

  /** The public half, as served at {@code /.well-known/jwks.json}. */
  public JWKSet publicSet() {
    return new JWKSet(key.toPublicJWK());
  }
}
