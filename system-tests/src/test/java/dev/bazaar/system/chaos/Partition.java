package dev.bazaar.system.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The plan {@code partition}: a whole host is cut off the network while orders flow, then healed
 * (scripts/bazaar-hosts, hosts that are network namespaces). The cut and the heal are commands of
 * that script, given as {@code BAZAAR_PARTITION_CUT} (prints the pid of the tracked instance on the
 * cut host as its last line) and {@code BAZAAR_PARTITION_HEAL}; the cut lasts
 * {@code BAZAAR_PARTITION_SECONDS} (default 25: beyond Hazelcast's 20 s, so the cut-off members are
 * dropped and must merge back). It shows like a frozen instance: detected when discovery stops
 * routing to that pid, recovered when the same pid is routed to again.
 */
final class Partition {
  static final Duration COMMAND_DEADLINE = Duration.ofSeconds(60);

  private Partition() {
  }

  static List<Fault> plan() {
    String cut = required("BAZAAR_PARTITION_CUT");
    String heal = required("BAZAAR_PARTITION_HEAL");
    String service = System.getenv().getOrDefault("BAZAAR_PARTITION_SERVICE", "order-service");
    Duration hold = Duration.ofSeconds(Long.parseLong(System.getenv().getOrDefault("BAZAAR_PARTITION_SECONDS", "25")));
    return List.of(new Fault("cut a host off " + hold.toSeconds() + " s, heal", service, Fault.Effect.FREEZES_INSTANCE, hold,
      () -> {
        String[] lines = run(cut).strip().split("\n");
        return Long.parseLong(lines[lines.length - 1].strip());
      },
      victim -> run(heal)));
  }

  private static String required(String name) {
    String value = System.getenv(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("the partition plan needs " + name + " (run it through scripts/bazaar-hosts partition-test)");
    }
    return value;
  }

  /** Runs {@code command} with bash, bounded in time; its stdout, or an exception with its output when it fails. */
  private static String run(String command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    if (!process.waitFor(COMMAND_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException(command + ": no exit within " + COMMAND_DEADLINE.toSeconds() + " s");
    }
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new IOException(command + " exited " + process.exitValue() + ": " + out.strip());
    }
    return out;
  }
}
