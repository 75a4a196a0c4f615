package dev.bazaar.system.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The levers of the local cluster that {@code scripts/bazaar up} runs: kills and restarts go
 * through {@code scripts/bazaar kill} and {@code up} (their output is appended to {@code log}),
 * SIGSTOP/SIGCONT to the newest instance's pid from {@code $BAZAAR_HOME/run}.
 */
public final class LocalCluster implements Levers {
  static final long COMMAND_DEADLINE_S = 300;

  private final Path script;
  private final Path home;
  private final Path log;
  private final String providerUrl;
  private final Set<Long> frozen = ConcurrentHashMap.newKeySet();

  public LocalCluster(Path script, Path home, Path log, String providerUrl) {
    this.script = script;
    this.home = home;
    this.log = log;
    this.providerUrl = providerUrl;
  }

  @Override
  public long killHard(String name) throws IOException, InterruptedException {
    return pidFrom(bazaar("kill", name, "--hard"));
  }

  @Override
  public long stop(String name) throws IOException, InterruptedException {
    return pidFrom(bazaar("kill", name));
  }

  @Override
  public void restart(String name) throws IOException, InterruptedException {
    bazaar("up");
  }

  @Override
  public long freeze(String name) throws IOException, InterruptedException {
    long pid = newestPid(name);
    signal("STOP", pid);
    frozen.add(pid);
    return pid;
  }

  @Override
  public void thaw(long pid) throws IOException, InterruptedException {
    signal("CONT", pid);
    frozen.remove(pid);
  }

  @Override
  public String providerUrl() {
    return providerUrl;
  }

  /** SIGCONTs whatever this run left frozen (the run was interrupted mid-fault). */
  public void release() {
    for (long pid : List.copyOf(frozen)) {
      try {
        thaw(pid);
      } catch (IOException | InterruptedException e) {
        System.err.println("chaos: could not SIGCONT " + pid + ": " + e.getMessage());
      }
    }
  }

  /** The pid of {@code name}'s newest live instance, from its pid file (the JVM's command line names the instance). */
  long newestPid(String name) throws IOException {
    Path run = home.resolve("run");
    List<Path> pidFiles;
    try (Stream<Path> files = Files.list(run)) {
      pidFiles = files.filter(f -> f.getFileName().toString().matches(java.util.regex.Pattern.quote(name) + "-[0-9]+\\.pid"))
        .sorted(Comparator.comparing(LocalCluster::modified).reversed()).toList();
    }
    for (Path file : pidFiles) {
      String instance = file.getFileName().toString().replace(".pid", "");
      String pid = Files.readString(file).trim();
      Path cmdline = Path.of("/proc", pid, "cmdline");
      if (pid.matches("[0-9]+") && Files.exists(cmdline)
        && new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).contains("-Dbazaar.instance=" + instance + "\0")) {
        return Long.parseLong(pid);
      }
    }
    throw new IllegalStateException("no live instance of " + name + " in " + run);
  }

  private static long modified(Path file) {
    try {
      return Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }

  private static long pidFrom(String output) {
    for (String line : output.split("\n")) {
      if (line.trim().matches("[0-9]+")) {
        return Long.parseLong(line.trim());
      }
    }
    throw new IllegalStateException("no pid in the output of scripts/bazaar kill: " + output);
  }

  private void signal(String signal, long pid) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + signal + " " + pid + " failed: " + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /** Runs {@code scripts/bazaar ARGS} (bounded), appends its output to the log, returns its stdout. */
  private String bazaar(String... args) throws IOException, InterruptedException {
    Path out = Files.createTempFile(home, "chaos-cmd", ".out");
    try {
      List<String> command = Stream.concat(Stream.of(script.toString()), Stream.of(args)).toList();
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      boolean done = process.waitFor(COMMAND_DEADLINE_S, TimeUnit.SECONDS);
      if (!done) {
        process.destroy();
      }
      String output = Files.readString(out);
      Files.writeString(log, "$ scripts/bazaar " + String.join(" ", args) + "\n" + output, StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
      if (!done) {
        throw new IllegalStateException("scripts/bazaar " + String.join(" ", args) + " still running after " + COMMAND_DEADLINE_S + " s");
      }
      if (process.exitValue() != 0) {
        String[] lines = output.strip().split("\n");
        throw new IllegalStateException("scripts/bazaar " + String.join(" ", args) + " exited " + process.exitValue() + ": " + lines[lines.length - 1]);
      }
      return output;
    } finally {
      Files.deleteIfExists(out);
    }
  }
}
