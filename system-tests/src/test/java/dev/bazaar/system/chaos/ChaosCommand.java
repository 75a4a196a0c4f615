package dev.bazaar.system.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code scripts/bazaar chaos}: a chaos run against the local cluster (docs/RESILIENCE.md).
 * The script compiles this package with javac and runs this class with
 * {@code --gateway URL --home BAZAAR_HOME --script PATH} before the user's options.
 * Exit status: 0 passed, 1 an invariant or the confirmed share failed, 2 usage or cluster not up.
 */
public final class ChaosCommand {
  static final String USAGE = "usage: scripts/bazaar chaos [--plan services|infra|provider|partition] [--rate N] [--seconds S] "
    + "[--min-confirmed PERCENT] [--settle S] [--recovery S]";

  private ChaosCommand() {
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>(Map.of("plan", "services", "rate", "20", "seconds", "90",
      "min-confirmed", "95", "settle", "180", "recovery", "120"));
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        usage(args[i].equals("--help") || args[i].equals("-h") ? null : "bad argument: " + args[i]);
      }
      String name = args[i].substring(2);
      if (!options.containsKey(name) && !Map.of("gateway", 1, "home", 1, "script", 1).containsKey(name)) {
        usage("unknown option: " + args[i]);
      }
      options.put(name, args[++i]);
    }
    int rate = number(options, "rate", 1, 200);
    int seconds = number(options, "seconds", 20, 3600);
    double minConfirmed = number(options, "min-confirmed", 0, 100);
    ChaosRun.Settings settings = new ChaosRun.Settings(options.get("plan"), rate, seconds,
      Duration.ofSeconds(number(options, "settle", 10, 1800)), Duration.ofSeconds(number(options, "recovery", 10, 600)), minConfirmed, false);

    Api api = new Api(options.get("gateway"));
    Path home = Path.of(options.get("home"));
    String provider = System.getenv().getOrDefault("BAZAAR_PROVIDER_URL",
      "http://127.0.0.1:" + System.getenv().getOrDefault("BAZAAR_PROVIDER_PORT", "9300"));
    Path dir = home.resolve("chaos");
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path commands = dir.resolve(stamp + ".log");
    LocalCluster cluster = new LocalCluster(Path.of(options.get("script")), home, commands, provider);
    List<Fault> plan = List.of();
    try {
      plan = Plans.named(settings.plan(), cluster, api);
    } catch (IllegalArgumentException e) {
      usage(e.getMessage());
    }
    awaitCluster(api);
    String admin = api.login(System.getenv().getOrDefault("BAZAAR_ADMIN_EMAIL", "admin@bazaar.local"), adminPassword(home));

    Files.createDirectories(dir);
    Runtime.getRuntime().addShutdownHook(new Thread(cluster::release));
    System.out.println("chaos: output of the scripts/bazaar commands it runs: " + commands);

    ChaosReport report;
    try {
      report = new ChaosRun(api, admin, cluster, plan, settings, System.out::println).run();
    } finally {
      cluster.release();
    }
    Path json = dir.resolve(stamp + ".json");
    Files.writeString(json, report.toJson() + "\n");
    System.out.print(report.table());
    System.out.println("report: " + json);
    System.exit(report.passed() ? 0 : 1);
  }

  /** The cluster must be up: the gateway answers and is ready (waits up to 30 s for readiness). */
  private static void awaitCluster(Api api) {
    Api.Reply ready = api.get("/health/ready", null, Duration.ofSeconds(3));
    if (ready.status() < 0) {
      fail("the local cluster is not up: nothing answers at " + api.gateway() + ". Start it with scripts/bazaar up first.");
    }
    Api.Reply[] last = {ready};
    boolean isReady = Poll.until(System.nanoTime() + Duration.ofSeconds(30).toNanos(), 500,
      () -> (last[0] = api.get("/health/ready", null, Duration.ofSeconds(3))).status() == 200);
    if (!isReady) {
      ready = last[0];
      fail("the gateway at " + api.gateway() + " is not ready (" + ready.status() + ": " + Json.abbreviate(ready.body())
        + "). Run scripts/bazaar up (or status) first.");
    }
  }

  private static String adminPassword(Path home) throws IOException {
    String password = System.getenv("BAZAAR_ADMIN_PASSWORD");
    if (password != null && !password.isEmpty()) {
      return password;
    }
    Path file = home.resolve("admin-password");
    if (!Files.isReadable(file)) {
      fail("no admin password: set BAZAAR_ADMIN_PASSWORD or keep " + file + " (written at the first scripts/bazaar up)");
    }
    return Files.readAllLines(file).get(0).trim();
  }

  private static int number(Map<String, String> options, String name, int min, int max) {
    try {
      int value = Integer.parseInt(options.get(name));
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    usage("--" + name + " must be a whole number from " + min + " to " + max);
    return 0;
  }

  private static void usage(String problem) {
    if (problem != null) {
      System.err.println("chaos: " + problem);
    }
    System.err.println(USAGE);
    System.exit(problem == null ? 0 : 2);
  }

  private static void fail(String problem) {
    System.err.println("chaos: " + problem);
    System.exit(2);
  }
}
