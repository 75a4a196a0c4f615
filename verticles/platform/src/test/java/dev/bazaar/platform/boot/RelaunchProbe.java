package dev.bazaar.platform.boot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A JVM for {@link RelaunchTest}: notes its pid in {@code <dir>/chain}, then asks to be replaced. */
public final class RelaunchProbe {
  private RelaunchProbe() {
  }

  public static void main(String[] args) throws IOException {
    Files.writeString(Path.of(args[0], "chain"), ProcessHandle.current().pid() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    Relaunch.replaceAndHalt(76, "probe asks to be replaced");
  }
}
