package dev.bazaar.system;

import dev.bazaar.platform.config.DatabaseSettings;
import dev.bazaar.platform.testing.TestPostgres;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A Bazaar cluster of real JVMs started from the real fat jars, isolated from anything else on the
 * machine: its own PostgreSQL, cluster name, cluster and gateway ports, and home directory.
 */
final class BazaarCluster implements AutoCloseable {
  /** How the services run: one JVM each, or all of them and the gateway in one (verticles/monolith). */
  enum Mode {
    MICROSERVICES, MONOLITH;

    /** The mode a test class asks for: {@link #MONOLITH} when it implements {@link Monolith}. */
    static Mode of(org.junit.jupiter.api.TestInfo test) {
      return test.getTestClass().filter(Monolith.class::isAssignableFrom).isPresent() ? MONOLITH : MICROSERVICES;
    }
  }

  /** Marks a test class whose scenarios run against the monolith jar instead of one JVM per service. */
  interface Monolith {
  }

  /** Every cluster made and not closed yet (see {@link Closing}). */
  private static final Set<BazaarCluster> OPEN = ConcurrentHashMap.newKeySet();
  /** Every port {@link #freePort()} gave in this JVM: never twice, so two processes never race for one. */
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
  static final String MONOLITH = "monolith";
  static final String ADMIN_EMAIL = "admin@system.test";
  static final String ADMIN_PASSWORD = "system-test-admin-pw";
  /** Every domain service (the gateway starts on its own), in the order a full cluster starts them. */
  private static final List<String> DOMAIN_SERVICES =
    List.of("user-service", "product-service", "inventory-service", "order-service", "payment-service", "notification-service");

  final Path root = Path.of(System.getProperty("bazaar.root", "..")).toAbsolutePath().normalize();
  final Path home;
  final int gatewayPort;
  /** The gateway's management port (metrics, health), never its public one. */
  final int gatewayManagementPort;
  private final Map<String, String> env = new HashMap<>();
  private final List<ServiceProcess> processes = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
  private int instanceCounter;
  private volatile boolean failed;
  final Mode mode;

  BazaarCluster() throws IOException {
    this(Mode.MICROSERVICES);
  }

  BazaarCluster(Mode mode) throws IOException {
    OPEN.add(this);
    this.mode = mode;
    home = Files.createTempDirectory("bazaar-system-");
    gatewayPort = freePort();
    gatewayManagementPort = freePort();
    DatabaseSettings users = TestPostgres.database("user_service");
    for (String database : new String[] {"product_service", "inventory_service", "order_service", "payment_service", "notification_service"}) {
      TestPostgres.database(database);
    }
    for (String role : new String[] {"user_service", "product_service", "inventory_service", "order_service", "payment_service", "notification_service"}) {
      // the test server's roles have their own name as password (TestPostgres); a real start generates them
      env.put("BAZAAR_DB_PASSWORD_" + role.toUpperCase(java.util.Locale.ROOT), role);
    }
    env.put("BAZAAR_HOME", home.toString());
    env.put("BAZAAR_CONF_DIR", root.resolve("conf").toString());
    env.put("BAZAAR_CLUSTER_CONFIG", root.resolve("cluster-config/cluster.xml").toString());
    env.put("BAZAAR_CLUSTER_NAME", "system-test-" + UUID.randomUUID());
    env.put("BAZAAR_CLUSTER_PORT", Integer.toString(freeClusterBase()));
    env.put("BAZAAR_CLUSTER_PORT_COUNT", "6");
    env.put("BAZAAR_GATEWAY_PORT", Integer.toString(gatewayPort));
    env.put("BAZAAR_GATEWAY_MANAGEMENT_PORT", Integer.toString(gatewayManagementPort));
    env.put("BAZAAR_PG_HOST", users.host());
    env.put("BAZAAR_PG_PORT", Integer.toString(users.port()));
    env.put("BAZAAR_ADMIN_EMAIL", ADMIN_EMAIL);
    env.put("BAZAAR_ADMIN_PASSWORD", ADMIN_PASSWORD);
    env.put("BAZAAR_BCRYPT_COST", "4");
    env.put("BAZAAR_RATE_LIMIT_ENABLED", "false");
    env.put("BAZAAR_HZ_JOIN_LOG_LEVEL", "DEBUG");
    // the tests wait for readiness with their own deadlines and do not restart a JVM that gave up:
    // on a busy machine a start may take longer than the 60 s after which a JVM exits for a restart
    env.put("BAZAAR_START_TIMEOUT_SECONDS", "170");
    // a real Kafka broker in its own JVM, one per test JVM, shared by the clusters of all test classes
    env.put("BAZAAR_KAFKA_BOOTSTRAP", dev.bazaar.platform.testing.TestKafka.bootstrap());
    // no Zipkin unless a test asks for one (withTracing)
    env.put("BAZAAR_TRACING", "off");
  }

  /**
   * Starts a real Zipkin (the jar {@code scripts/bazaar up} runs, in-memory storage) on a free
   * port, and has every JVM started from now on trace into it. Returns Zipkin's base URL.
   */
  String withTracing() throws IOException {
    Path jar = root.resolve("infra/target/zipkin.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: build the infra module first");
    }
    int port = freePort();
    ProcessBuilder builder = new ProcessBuilder("java", "-Xmx192m", "-XX:+UseSerialGC", "-jar", jar.toString())
      .directory(root.toFile())
      .redirectErrorStream(true)
      .redirectOutput(home.resolve("zipkin.log").toFile());
    builder.environment().putAll(Map.of("QUERY_PORT", Integer.toString(port), "STORAGE_TYPE", "mem",
      "ARMERIA_PORTS_0_IP", "127.0.0.1", "ARMERIA_PORTS_0_PORT", Integer.toString(port), "ARMERIA_PORTS_0_PROTOCOLS_0", "http"));
    processes.add(new ServiceProcess("zipkin", builder.start(), home.resolve("zipkin.log")));
    String url = "http://127.0.0.1:" + port;
    env.put("BAZAAR_TRACING", "on");
    env.put("BAZAAR_ZIPKIN_URL", url);
    env.put("BAZAAR_TRACING_EXPORT_DELAY_MS", "200");
    await("zipkin up", Duration.ofSeconds(90), () -> {
      try {
        return getDirect(port, "/health").statusCode() == 200;
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    });
    return url;
  }

  /** Sets {@code name} in the environment of every JVM started from now on. */
  BazaarCluster with(String name, String value) {
    env.put(name, value);
    return this;
  }

  /** The services the gateway must see before it calls itself ready (the ones this test starts). */
  BazaarCluster requiring(String... services) {
    env.put("BAZAAR_GATEWAY_REQUIRED_SERVICES", String.join(",", services));
    return this;
  }

  /** Adds the payment-provider simulator and a deadline for orders: what the saga needs besides Kafka. */
  BazaarCluster withSaga(int orderDeadlineSeconds) throws IOException {
    providerPort = freePort();
    env.put("BAZAAR_PROVIDER_PORT", Integer.toString(providerPort));
    env.put("BAZAAR_PROVIDER_URL", "http://127.0.0.1:" + providerPort);
    env.put("BAZAAR_ORDER_DEADLINE_SECONDS", Integer.toString(orderDeadlineSeconds));
    return this;
  }

  int providerPort;

  /**
   * Starts the payment-provider (when {@link #withSaga} was called), the gateway and one instance
   * of each of {@code services}, and waits until the gateway is ready. In {@link Mode#MONOLITH}
   * the gateway and the services are one JVM, the process named {@value #MONOLITH}.
   */
  Map<String, ServiceProcess> startAll(String... services) throws IOException {
    if (providerPort != 0) {
      start("payment-provider");
    }
    Map<String, ServiceProcess> started = new HashMap<>();
    if (mode == Mode.MONOLITH) {
      env.put("BAZAAR_MONOLITH_SERVICES", String.join(",", services) + ",gateway");
      started.put(MONOLITH, start(MONOLITH));
      awaitReady(Duration.ofSeconds(180));
      return started;
    }
    start("gateway");
    for (String service : services) {
      started.put(service, start(service));
    }
    awaitReady(Duration.ofSeconds(180));
    return started;
  }

  /** A customer registered through the gateway: what they log in with, their user id and their bearer token. */
  record Customer(String email, String password, String id, String token) {
  }

  /** Registers a new customer whose email starts with {@code name} (password {@code name-pass}) and logs them in. */
  Customer register(String name) throws IOException, InterruptedException {
    String email = name + "-" + System.nanoTime() + "@system.test";
    String password = name + "-pass";
    HttpResponse<String> registered = post("/api/v1/auth/register", new io.vertx.core.json.JsonObject()
      .put("email", email).put("password", password).put("name", name).encode(), null);
    if (registered.statusCode() != 201) {
      throw new AssertionError("registration failed: " + registered.statusCode() + " " + registered.body());
    }
    String id = new io.vertx.core.json.JsonObject(registered.body()).getString("id");
    return new Customer(email, password, id, login(email, password));
  }

  /** Registers a new customer whose email starts with {@code name} and returns their token. */
  String newCustomer(String name) throws IOException, InterruptedException {
    return register(name).token();
  }

  /** Logs the seeded admin in and returns the bearer token. */
  String adminToken() throws IOException, InterruptedException {
    return login(ADMIN_EMAIL, ADMIN_PASSWORD);
  }

  /** Creates a product priced 5 EUR named {@code name} with {@code stock} available (as {@code adminToken}); returns its id. */
  String product(String name, int stock, String adminToken) throws IOException, InterruptedException {
    HttpResponse<String> created = post("/api/v1/products", new io.vertx.core.json.JsonObject().put("sku", "SYS-" + System.nanoTime())
      .put("name", name).put("description", "made by a system test").put("priceCents", 500).put("currency", "EUR").encode(), adminToken);
    if (created.statusCode() != 201) {
      throw new AssertionError("product not created: " + created.statusCode() + " " + created.body());
    }
    String id = new io.vertx.core.json.JsonObject(created.body()).getString("id");
    HttpResponse<String> stocked = put("/api/v1/inventory/" + id, "{\"available\":" + stock + "}", adminToken);
    if (stocked.statusCode() != 200) {
      throw new AssertionError("stock not set: " + stocked.statusCode() + " " + stocked.body());
    }
    return id;
  }

  /** Starts one more instance of {@code service} from its fat jar, clustered (the provider is not). */
  ServiceProcess start(String service) throws IOException {
    Path jar = root.resolve("verticles").resolve(service).resolve("target").resolve(service + "-fat.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: build with mvn package first");
    }
    Path log = home.resolve(service + "-" + (++instanceCounter) + ".log");
    String heap = service.equals(MONOLITH) ? "-Xmx384m" : "-Xmx128m";
    List<String> command = new ArrayList<>(List.of("java", heap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
    if (!service.equals("payment-provider")) {
      command.add("-cluster");
    }
    ProcessBuilder builder = new ProcessBuilder(command)
      .directory(root.toFile())
      .redirectErrorStream(true)
      .redirectOutput(log.toFile());
    builder.environment().putAll(env);
    ServiceProcess process = new ServiceProcess(service, builder.start(), log);
    processes.add(process);
    return process;
  }

  HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(gateway(path)).timeout(Duration.ofSeconds(15)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * POSTs like a well-behaved client: a 503 (nothing was done, Retry-After says when to come back)
   * is retried for up to 30 s. Everything else is returned as it is.
   */
  HttpResponse<String> post(String path, String json, String token) throws IOException, InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    HttpResponse<String> response = postOnce(path, json, token);
    while (response.statusCode() == 503 && System.nanoTime() < end) {
      Thread.sleep(1000);
      response = postOnce(path, json, token);
    }
    return response;
  }

  private HttpResponse<String> postOnce(String path, String json, String token) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(gateway(path)).timeout(Duration.ofSeconds(15))
      .header("Content-Type", "application/json")
      .POST(HttpRequest.BodyPublishers.ofString(json));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> put(String path, String json, String token) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(gateway(path)).timeout(Duration.ofSeconds(15))
      .header("Content-Type", "application/json")
      .PUT(HttpRequest.BodyPublishers.ofString(json));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A fresh array of every domain service, for {@link #requiring} and {@link #startAll}. */
  static String[] domainServices() {
    return DOMAIN_SERVICES.toArray(String[]::new);
  }

  /**
   * Logs in and returns the bearer token. A 503/504 is tried again (at most 5 attempts): on a busy
   * machine the password hash can outlast the gateway's upstream timeout; each attempt is paced by
   * that timeout itself.
   */
  String login(String email, String password) throws IOException, InterruptedException {
    String body = "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}";
    HttpResponse<String> response = post("/api/v1/auth/login", body, null);
    for (int attempt = 2; attempt <= 5 && (response.statusCode() == 503 || response.statusCode() == 504); attempt++) {
      response = post("/api/v1/auth/login", body, null);
    }
    if (response.statusCode() != 200) {
      throw new AssertionError("login of " + email + " answered " + response.statusCode() + ": " + response.body());
    }
    return new io.vertx.core.json.JsonObject(response.body()).getString("token");
  }

  HttpResponse<String> postDirect(int port, String path, String json) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5))
      .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> getDirect(int port, String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).GET().build(),
      HttpResponse.BodyHandlers.ofString());
  }

  /** The port of the first instance of {@code service} in the gateway's admin view of discovery. */
  int instancePort(String service, String adminToken) throws IOException, InterruptedException {
    io.vertx.core.json.JsonObject view = new io.vertx.core.json.JsonObject(get("/api/v1/admin/services", adminToken).body());
    for (Object entry : view.getJsonArray("services")) {
      io.vertx.core.json.JsonObject json = (io.vertx.core.json.JsonObject) entry;
      if (service.equals(json.getString("name")) && !json.getJsonArray("instances").isEmpty()) {
        return json.getJsonArray("instances").getJsonObject(0).getInteger("port");
      }
    }
    throw new AssertionError(service + " is not in discovery: " + view.encodePrettily());
  }

  URI gateway(String path) {
    return URI.create("http://127.0.0.1:" + gatewayPort + path);
  }

  void awaitReady(Duration deadline) {
    await("gateway ready", deadline, () -> {
      try {
        return get("/health/ready", null).statusCode() == 200;
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    });
  }

  /**
   * Waits until {@code condition} holds, polling every 100 ms; fails with the logs' tails at the
   * deadline (and keeps this cluster's home, logs included, for a look afterwards).
   */
  void await(String what, Duration deadline, BooleanSupplier condition) {
    try {
      Awaitility.await(what).atMost(deadline).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
        .until(condition::getAsBoolean);
    } catch (ConditionTimeoutException e) {
      failed = true;
      throw new AssertionError("timed out after " + deadline.toSeconds() + " s waiting for " + what + "\n" + logTails());
    }
  }

  /**
   * For a test that closes the cluster itself (try-with-resources): {@code cause} with the logs'
   * tails added, and this cluster's home kept, for a failure that {@link Closing} cannot see in time.
   */
  AssertionError failure(Throwable cause) {
    failed = true;
    return new AssertionError(cause + "\n" + logTails(), cause);
  }

  String logTails() {
    StringBuilder out = new StringBuilder();
    for (ServiceProcess process : processes) {
      out.append("---- ").append(process.name()).append(" pid ").append(process.pid()).append(process.alive() ? "" : " (dead)").append('\n');
      out.append(process.tail(30));
    }
    return out.toString();
  }

  /**
   * Stops every process, then removes the home directory (logs, keys) unless something failed
   * while this cluster ran: a wait that timed out, or a failed test of a class that closes it
   * through {@link Closing}. A failed cluster's home stays, and its path is printed.
   */
  @Override
  public void close() {
    processes.forEach(ServiceProcess::stop);
    OPEN.remove(this);
    if (failed) {
      System.err.println("kept the logs of a failed cluster in " + home);
      return;
    }
    try (Stream<Path> paths = Files.walk(home)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not remove " + home + ": " + e);
    }
  }

  /**
   * Closes, after the last test of a class that extends with it, every cluster still open: a test
   * class keeps its cluster in a static field and need not stop it itself. A failed test marks the
   * open clusters failed, so that their logs are kept.
   */
  static final class Closing implements AfterAllCallback, TestWatcher {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      OPEN.forEach(cluster -> cluster.failed = true);
    }

    @Override
    public void afterAll(ExtensionContext context) {
      List.copyOf(OPEN).forEach(BazaarCluster::close);
    }
  }

  /**
   * A free port for a process to bind later, below the kernel's ephemeral range (32768+ here): a
   * port probed with bind(0) comes from that range, and the services of the cluster bind port 0,
   * so one of them could take it first (it happened: the gateway failed with "Address already in use").
   */
  static int freePort() throws IOException {
    for (int tries = 0; tries < 200; tries++) {
      int port = 10000 + ThreadLocalRandom.current().nextInt(10000);
      if (HANDED_OUT.contains(port)) {
        continue;   // free now, but promised to a process that has not bound it yet
      }
      try (ServerSocket ignored = new ServerSocket(port)) {
        HANDED_OUT.add(port);
        return port;
      } catch (IOException e) {
        // taken: try another
      }
    }
    throw new IOException("no free port in 10000-19999");
  }

  /** A base port with 40 free ports above it, for this cluster's Hazelcast members. */
  private static int freeClusterBase() throws IOException {
    for (int tries = 0; tries < 50; tries++) {
      int base = 20000 + ThreadLocalRandom.current().nextInt(250) * 50;   // 20000-32499: below the ephemeral range
      boolean free = true;
      for (int port = base; port < base + 40 && free; port++) {
        try (ServerSocket ignored = new ServerSocket(port)) {
          // free
        } catch (IOException e) {
          free = false;
        }
      }
      if (free) {
        return base;
      }
    }
    throw new IOException("no free range of cluster ports");
  }
}
