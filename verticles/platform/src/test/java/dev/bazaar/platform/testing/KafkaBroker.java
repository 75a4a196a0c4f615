package dev.bazaar.platform.testing;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * One real Kafka broker in its own JVM (infra's {@code LocalKafka}: Kafka 4 in KRaft mode, whose
 * clients must never share a classpath with vertx-kafka-client), on free ports, with its data in a
 * temporary directory. It can be killed ({@code SIGKILL}, as {@code kill -9}) and restarted on the
 * same ports and data, the way an operator's restart brings a crashed broker back. Needs
 * {@code infra/target} built: {@code mvn -B -DskipTests package -pl infra}.
 */
public final class KafkaBroker implements AutoCloseable {
  private static final String READY = "BAZAAR-READY kafka";
  private static final long START_TIMEOUT_MS = 90_000;
  private static final int KEPT_LINES = 60;

  private final Path home;
  private final int port;
  private final int controllerPort;
  private Process process;
  private boolean closed;

  private KafkaBroker(Path home, int port, int controllerPort) {
    this.home = home;
    this.port = port;
    this.controllerPort = controllerPort;
  }

  /** Starts a new broker; it is killed and its directory deleted by {@link #close()} or when the JVM exits. */
  public static KafkaBroker start() {
    KafkaBroker broker;
    try {
      int[] ports = freePorts(2);
      broker = new KafkaBroker(Files.createTempDirectory("bazaar-test-kafka"), ports[0], ports[1]);
    } catch (IOException e) {
      throw new IllegalStateException("cannot prepare a test Kafka", e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "stop-test-kafka"));
    broker.launch();
    return broker;
  }

  /** {@code 127.0.0.1:<port>}: the same across restarts. */
  public String bootstrap() {
    return "127.0.0.1:" + port;
  }

  /** Kills the broker's JVM at once ({@code SIGKILL}): no clean shutdown, no flush, connections reset. */
  public synchronized void kill() {
    Process p = process;
    if (p == null) {
      return;
    }
    p.destroyForcibly();
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the killed broker " + p.pid() + " is still running");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while killing the broker", e);
    }
    process = null;
  }

  /** Starts the broker again on the same ports and data; returns once it serves. */
  public synchronized void restart() {
    if (process != null) {
      throw new IllegalStateException("the broker is running: kill() it first");
    }
    launch();
  }

  public synchronized boolean running() {
    return process != null && process.isAlive();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    Process p = process;
    process = null;
    if (p != null) {
      p.destroy();
      try {
        if (!p.waitFor(15, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          p.waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
      }
    }
    try (Stream<Path> files = Files.walk(home)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    } catch (IOException ignored) {
      // best effort: it is a temporary directory
    }
  }

  private synchronized void launch() {
    Path target = TestKafka.repositoryRoot().resolve("infra").resolve("target");
    Path jar = target.resolve("local-infra.jar");
    Path lib = target.resolve("lib");
    if (!Files.isRegularFile(jar) || !Files.isDirectory(lib)) {
      throw new IllegalStateException("a test Kafka needs " + jar + " and " + lib
        + ": run `mvn -B -DskipTests package -pl infra` first");
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
    CompletableFuture<String> ready = new CompletableFuture<>();
    Deque<String> lastLines = new ArrayDeque<>();
    Thread reader = new Thread(() -> pump(started, home.resolve("kafka.log"), lastLines, ready), "test-kafka-output");
    reader.setDaemon(true);
    reader.start();
    try {
      ready.get(START_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      started.destroyForcibly();
      process = null;
      String tail;
      synchronized (lastLines) {
        tail = String.join("\n", lastLines);
      }
      throw new IllegalStateException("test Kafka did not print '" + READY + "' within " + START_TIMEOUT_MS
        + " ms (" + (e instanceof TimeoutException ? "timeout" : e.getCause().getMessage()) + "); its last output:\n" + tail);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      started.destroyForcibly();
      process = null;
      throw new IllegalStateException("interrupted while starting the test Kafka", e);
    }
  }

  /** Copies the broker's output to its log file (it must be drained, or the broker blocks) and spots the ready line. */
  private static void pump(Process p, Path log, Deque<String> lastLines, CompletableFuture<String> ready) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
         BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8,
           StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
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

  static int[] freePorts(int n) throws IOException {
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
