package dev.bazaar.provider;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static dev.bazaar.platform.testing.TestBed.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The real artifact as {@code scripts/bazaar up} starts it: {@code java -jar
 * verticles/payment-provider/target/payment-provider-fat.jar} from the repository root, without
 * {@code -cluster}, reading {@code conf/payment-provider.json}. It must stay out of the cluster:
 * the only socket it listens on is its HTTP port (no Hazelcast member, no event-bus port).
 */
class PaymentProviderFatJarIT {
  static final Path MODULE = Path.of("").toAbsolutePath();
  static final Path ROOT = MODULE.resolve("../..").normalize();
  static final Path JAR = MODULE.resolve("target/payment-provider-fat.jar");
  static final Path LOG = MODULE.resolve("target/payment-provider-fat-jar-it.log");
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  static Process process;
  static int port;

  @BeforeAll
  static void start() throws Exception {
    assertThat(JAR).as("run after package").exists();
    assertThat(ROOT.resolve("conf/payment-provider.json")).exists();
    port = freePort();
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder = new ProcessBuilder(java, "-XX:+UseSerialGC", "-Xmx128m", "-jar", JAR.toString())
      .directory(ROOT.toFile())
      .redirectErrorStream(true)
      .redirectOutput(LOG.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("BAZAAR_"));
    builder.environment().put("BAZAAR_PROVIDER_PORT", Integer.toString(port));
    process = builder.start();
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
      .failFast(() -> assertThat(process.isAlive()).as("the provider exited: %s", log()).isTrue())
      .untilAsserted(() -> assertThat(status("/health/ready")).as("readiness; log:%n%s", log()).isEqualTo(200));
  }

  @AfterAll
  static void stop() throws Exception {
    if (process != null && process.isAlive()) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void startsFromConfListensOnlyOnItsHttpPortAndStopsOnSigterm() throws Exception {
    assertThat(log()).contains("BAZAAR-READY payment-provider http://127.0.0.1:" + port);

    HttpResponse<String> charged = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/charges"))
      .header("Content-Type", "application/json")
      .POST(HttpRequest.BodyPublishers.ofString("{\"idempotencyKey\":\"" + UUID.randomUUID() + "\",\"token\":\"tok_ok\",\"amountCents\":1234,\"currency\":\"EUR\"}"))
      .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(charged.statusCode()).as(charged.body()).isEqualTo(201);
    assertThat(status("/metrics")).isEqualTo(200);

    assumeThat(Path.of("/proc/self/net/tcp")).as("Linux /proc").exists();
    assertThat(listeningPorts(process.pid())).containsExactly(port);
    assertThat(log()).doesNotContain("Members {", "hazelcast", "Hazelcast");

    process.destroy(); // SIGTERM, as scripts/bazaar down does
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stops within 30 s of SIGTERM").isTrue();
  }

  /** TCP ports {@code pid} listens on: its socket inodes matched against /proc/net/tcp{,6} LISTEN rows. */
  static Set<Integer> listeningPorts(long pid) throws IOException {
    Set<String> inodes = new HashSet<>();
    try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      for (Path fd : fds.toList()) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException closedMeanwhile) {
          // the descriptor went away while listing
        }
      }
    }
    Set<Integer> ports = new HashSet<>();
    for (String table : List.of("tcp", "tcp6")) {
      Path file = Path.of("/proc", Long.toString(pid), "net", table);
      if (!Files.exists(file)) {
        continue;
      }
      List<String> rows = Files.readAllLines(file);
      for (String line : rows.subList(1, rows.size())) {
        String[] columns = line.trim().split("\\s+");
        // columns: sl local_address rem_address st ... inode (index 9); st 0A = LISTEN
        if (columns.length > 9 && columns[3].equals("0A") && inodes.contains(columns[9])) {
          ports.add(Integer.parseInt(columns[1].substring(columns[1].indexOf(':') + 1), 16));
        }
      }
    }
    return ports;
  }

  static int status(String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(2)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  static String log() {
    try {
      return Files.readString(LOG);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
