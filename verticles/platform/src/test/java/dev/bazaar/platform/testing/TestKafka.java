package dev.bazaar.platform.testing;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A real Kafka broker for integration tests, one per test JVM, started on first use in its own JVM
 * (infra's {@code LocalKafka}: Kafka 4 in KRaft mode, whose clients must never share a classpath
 * with vertx-kafka-client), on free ports, with its data in a temporary directory. Destroyed, and its
 * directory deleted, when the test JVM exits. Needs {@code infra/target} built:
 * {@code mvn -B -DskipTests package -pl infra}.
 */
public final class TestKafka {
  private static final String READY = "BAZAAR-READY kafka";
  private static final long START_TIMEOUT_MS = 60_000;
  private static final int KEPT_LINES = 60;

  private static Process process;
  private static String bootstrap;

  private TestKafka() {
  }

  /** {@code 127.0.0.1:<port>} of the broker, starting it if this JVM has none yet. */
  public static synchronized String bootstrap() {
    if (bootstrap == null) {
      bootstrap = start();
    }
    return bootstrap;
  }

  /** The repository root: the nearest directory at or above the working directory holding {@code infra/pom.xml}. */
  public static Path repositoryRoot() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("infra").resolve("pom.xml"))) {
        return d;
      }
    }
    throw new IllegalStateException("no directory holding infra/pom.xml at or above " + dir);
  }

  private static String start() {
    Path root = repositoryRoot();
    Path target = root.resolve("infra").resolve("target");
    Path jar = target.resolve("local-infra.jar");
    Path lib = target.resolve("lib");
    if (!Files.isRegularFile(jar) || !Files.isDirectory(lib)) {
      throw new IllegalStateException("TestKafka needs " + jar + " and " + lib
        + ": run `mvn -B -DskipTests package -pl infra` first (from " + root + ")");
    }
    Path home;
    int port;
    int controllerPort;
    try {
      home = Files.createTempDirectory("bazaar-test-kafka");
      int[] ports = freePorts(2);
      port = ports[0];
      controllerPort = ports[1];
    } catch (IOException e) {
      throw new IllegalStateException("cannot prepare the test Kafka", e);
    }
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(javaBin, "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
      "-cp", jar + java.io.File.pathSeparator + lib.resolve("*"),
      "dev.bazaar.infra.LocalKafka")
      .directory(home.toFile())
      .redirectErrorStream(true);
    builder.environment().put("BAZAAR_HOME", home.toString());
    builder.environment().put("BAZAAR_KAFKA_PORT", Integer.toString(port));
    builder.environment().put("BAZAAR_KAFKA_CONTROLLER_PORT", Integer.toString(controllerPort));
    Process started;
    try {
      started = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + javaBin, e);
    }
    process = started;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(started, home), "stop-test-kafka"));

    CompletableFuture<String> ready = new CompletableFuture<>();
    Deque<String> lastLines = new ArrayDeque<>();
    Path log = home.resolve("kafka.log");
    Thread reader = new Thread(() -> pump(started, log, lastLines, ready), "test-kafka-output");
    reader.setDaemon(true);
    reader.start();
    try {
      String line = ready.get(START_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      String address = line.substring(line.indexOf(READY) + READY.length()).trim();
      return address.isEmpty() ? "127.0.0.1:" + port : address;
    } catch (TimeoutException | ExecutionException e) {
      started.destroyForcibly();
      String tail;
      synchronized (lastLines) {
        tail = String.join("\n", lastLines);
      }
      throw new IllegalStateException("test Kafka did not print '" + READY + "' within " + START_TIMEOUT_MS
        + " ms (" + (e instanceof TimeoutException ? "timeout" : e.getCause().getMessage()) + "); its last output:\n" + tail);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      started.destroyForcibly();
      throw new IllegalStateException("interrupted while starting the test Kafka", e);
    }
  }

  /** Copies the broker's output to its log file (it must be drained, or the broker blocks) and spots the ready line. */
  private static void pump(Process p, Path log, Deque<String> lastLines, CompletableFuture<String> ready) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
         BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        out.write(line);
        out.newLine();
        if (!ready.isDone()) {
          out.flush();
          synchronized (lastLines) {
            lastLines.addLast(line);
            if (lastLines.size() > KEPT_LINES) {
              lastLines.removeFirst();
            }
          }
          if (line.contains(READY)) {
            ready.complete(line);
          }
        }
      }
    } catch (IOException e) {
      // the process is gone, or the directory was deleted at exit
    } finally {
      ready.completeExceptionally(new IllegalStateException("the broker exited with " + exitCode(p)));
    }
  }

  private static String exitCode(Process p) {
    try {
      return p.waitFor(5, TimeUnit.SECONDS) ? Integer.toString(p.exitValue()) : "(still running)";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(unknown)";
    }
  }

  private static void stop(Process p, Path home) {
    p.destroy();
    try {
      if (!p.waitFor(15, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
    }
    try (Stream<Path> files = Files.walk(home)) {
      List<Path> all = new ArrayList<>(files.sorted(Comparator.reverseOrder()).toList());
      for (Path f : all) {
        Files.deleteIfExists(f);
      }
    } catch (IOException ignored) {
      // best effort: it is a temporary directory
    }
  }

  private static int[] freePorts(int n) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0);
        sockets.add(s);
        ports[i] = s.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket s : sockets) {
        s.close();
      }
    }
  }
}
