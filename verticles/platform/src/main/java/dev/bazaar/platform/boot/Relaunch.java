package dev.bazaar.platform.boot;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Ends a JVM that cannot get well without a restart, the way a supervisor can act on.
 * <p>
 * It always halts with a status that says why ({@code halt}, not {@code exit}: shutdown hooks
 * would wait on the cluster that is the problem). Under Kubernetes the container is restarted.
 * {@code scripts/bazaar} supervises nothing after {@code up}: it passes {@code BAZAAR_PID_FILE},
 * and a JVM that has one first starts its own replacement (same command line and environment,
 * same log, its own session) and writes the new pid there, at most {@value #MAX_RELAUNCHES} times
 * in a row ({@code BAZAAR_RELAUNCHES} counts them), so that a wedge that comes back every time
 * ends in an exited service rather than a loop.
 */
final class Relaunch {
  static final int MAX_RELAUNCHES = 3;
  static final String PID_FILE = "BAZAAR_PID_FILE";
  static final String RELAUNCHES = "BAZAAR_RELAUNCHES";
  private static final Logger LOG = LoggerFactory.getLogger(Relaunch.class);
  /** Several services in one JVM (the monolith) may each ask: one replacement, one halt. */
  private static final java.util.concurrent.atomic.AtomicBoolean ENDING = new java.util.concurrent.atomic.AtomicBoolean();

  private Relaunch() {
  }

  /** Logs {@code message} (also on stderr, tagged {@code tag}, in case the log is asynchronous) and halts with {@code status}. */
  static void halt(int status, String tag, String message) {
    LOG.error(message);
    System.err.println(tag + " " + message);
    System.err.flush();
    Runtime.getRuntime().halt(status);
  }

  /** Starts a replacement of this JVM when {@code scripts/bazaar} started it (see above), then halts with {@code status}. */
  static void replaceAndHalt(int status, String message) {
    if (!ENDING.compareAndSet(false, true)) {
      return;
    }
    Map<String, String> env = System.getenv();
    String relaunched = relaunch(env).map(pid -> "; replaced by pid " + pid).orElse("; not replaced, its supervisor restarts it");
    halt(status, "BAZAAR-RESTART", message + relaunched);
  }

  private static Optional<Long> relaunch(Map<String, String> env) {
    String pidFile = env.get(PID_FILE);
    int done = relaunchesSoFar(env);
    Optional<List<String>> command = commandLine();
    if (pidFile == null || pidFile.isBlank() || done >= MAX_RELAUNCHES || command.isEmpty()) {
      return Optional.empty();
    }
    try {
      List<String> argv = new ArrayList<>(List.of("setsid"));
      argv.addAll(command.get());
      ProcessBuilder builder = new ProcessBuilder(argv).inheritIO();
      builder.environment().put(RELAUNCHES, Integer.toString(done + 1));
      long pid = builder.start().pid();
      Path target = Path.of(pidFile);
      Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
      Files.writeString(tmp, pid + "\n");
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return Optional.of(pid);
    } catch (IOException | RuntimeException e) {
      LOG.error("could not start a replacement: {}", e.toString());
      return Optional.empty();
    }
  }

  static int relaunchesSoFar(Map<String, String> env) {
    try {
      return Math.max(0, Integer.parseInt(env.getOrDefault(RELAUNCHES, "0").trim()));
    } catch (NumberFormatException e) {
      return MAX_RELAUNCHES;
    }
  }

  /** This JVM's command line: /proc/self/cmdline (ProcessHandle.Info drops the arguments of a long one), else ProcessHandle's. */
  private static Optional<List<String>> commandLine() {
    try {
      String raw = Files.readString(Path.of("/proc/self/cmdline"));
      List<String> argv = List.of(raw.split("\0"));
      if (!argv.isEmpty() && !argv.get(0).isEmpty()) {
        return Optional.of(argv);
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("no /proc/self/cmdline: {}", e.toString());
    }
    ProcessHandle.Info info = ProcessHandle.current().info();
    return info.command().flatMap(cmd -> info.arguments().map(args -> {
      List<String> all = new ArrayList<>(List.of(cmd));
      all.addAll(List.of(args));
      return all;
    }));
  }
}
