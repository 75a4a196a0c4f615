package dev.bazaar.platform.secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/** Secrets generated at first start into a file (0600) that every later start, and every instance, reads. */
public final class SecretFiles {
  private static final SecureRandom RANDOM = new SecureRandom();

  private SecretFiles() {
  }

  /**
   * The content of {@code file} (stripped), or, when it does not exist, {@code bytes} random bytes
   * in base64url written there. Instances starting at once race safely: the file appears by a hard
   * link, atomically and only if the name is free, and the loser reads the winner's secret.
   */
  public static String readOrCreate(Path file, int bytes) throws IOException {
    if (Files.exists(file)) {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    }
    byte[] random = new byte[bytes];
    RANDOM.nextBytes(random);
    String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, "secret", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(temp, generated + "\n", StandardCharsets.UTF_8);
    try {
      Files.createLink(file, temp);
      return generated;
    } catch (FileAlreadyExistsException e) {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
