package dev.bazaar.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout the build runs in, for tests that hold its documents against its code. */
public final class Repository {
  private static final Path ROOT = find();

  private Repository() {
  }

  /** The first folder upwards from the module that holds conf/gateway.json and docs/. */
  public static Path root() {
    return ROOT;
  }

  public static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path find() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("conf/gateway.json")) && Files.isDirectory(dir.resolve("docs"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no conf/gateway.json above " + Path.of("").toAbsolutePath());
  }
}
