package dev.bazaar.system;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A Node.js script run by a system test, talking one line at a time: its stdout lines are queued
 * for {@link #await}, its stderr goes to a log file, and {@link #tell} writes a line to its stdin.
 */
final class NodeProcess implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> seen = new ArrayList<>();

  private NodeProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          lines.add(line);
        }
      } catch (IOException e) {
        // the process ended
      }
    }, "node-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /** Makes sure the npm packages and chromium are installed (scripts/live-test-deps), within 10 minutes. */
  static void installDependencies(Path root) throws IOException, InterruptedException {
    Process deps = new ProcessBuilder("bash", root.resolve("scripts/live-test-deps").toString()).directory(root.toFile())
      .inheritIO().start();
    if (!deps.waitFor(10, TimeUnit.MINUTES) || deps.exitValue() != 0) {
      deps.destroyForcibly();
      throw new IllegalStateException("scripts/live-test-deps failed: the live tests need chromium and their npm packages");
    }
  }

  /** Runs {@code node script} in {@code directory} with {@code env} added, its stderr into {@code log}. */
  static NodeProcess start(Path directory, String script, Map<String, String> env, Path log) throws IOException {
    ProcessBuilder builder = new ProcessBuilder("node", script).directory(directory.toFile()).redirectError(log.toFile());
    builder.environment().putAll(env);
    return new NodeProcess(builder.start(), log);
  }

  /** The next stdout line that matches {@code what} (others are kept in {@link #seen}); fails after {@code within}. */
  String await(String what, Predicate<String> matches, Duration within) throws InterruptedException {
    long end = System.nanoTime() + within.toNanos();
    for (long left = within.toNanos(); left > 0; left = end - System.nanoTime()) {
      String line = lines.poll(Math.min(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
      if (line != null) {
        seen.add(line);
        if (matches.test(line)) {
          return line;
        }
        if (line.startsWith("FAIL")) {
          break;
        }
      } else if (!process.isAlive() && lines.isEmpty()) {
        break;
      }
    }
    throw new AssertionError("no line for " + what + " within " + within.toSeconds() + " s; stdout: " + seen + "; stderr: " + stderr());
  }

  void tell(String line) throws IOException {
    Writer in = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    in.write(line + "\n");
    in.flush();
  }

  /** Waits for the exit (bounded) and returns its status. */
  int exit(Duration within) throws InterruptedException {
    if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("node did not exit within " + within.toSeconds() + " s; stdout: " + seen + "; stderr: " + stderr());
    }
    return process.exitValue();
  }

  String stderr() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no stderr)";
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
