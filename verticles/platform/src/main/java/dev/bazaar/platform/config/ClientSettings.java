package dev.bazaar.platform.config;

/**
 * How calls to other services are guarded: a timeout per attempt, retries with exponential
 * backoff and full jitter (idempotent calls only) within a total budget, and circuit breakers.
 */
public record ClientSettings(long timeoutMs, int maxAttempts, long backoffBaseMs, long backoffCapMs, long retryBudgetMs,
                             int breakerMaxFailures, long breakerResetMs, int poolSize, int maxWaitQueue) {

  /** What a service's {@code client} section leaves out. */
  public static final ClientSettings DEFAULTS = new ClientSettings(3000, 3, 100, 2000, 5000, 5, 3000, 64, 1024);

  public static ClientSettings from(ConfigReader client) {
    return from(client, DEFAULTS);
  }

  /** Reads the keys of {@code client} within the same bounds for every caller, taking what it leaves out from {@code defaults}. */
  public static ClientSettings from(ConfigReader client, ClientSettings defaults) {
    return new ClientSettings(
      client.longValue("timeoutMs", defaults.timeoutMs(), 10, 120_000),
      client.integer("maxAttempts", defaults.maxAttempts(), 1, 10),
      client.longValue("backoffBaseMs", defaults.backoffBaseMs(), 1, 60_000),
      client.longValue("backoffCapMs", defaults.backoffCapMs(), 1, 60_000),
      client.longValue("retryBudgetMs", defaults.retryBudgetMs(), 10, 300_000),
      client.integer("breakerMaxFailures", defaults.breakerMaxFailures(), 1, 1000),
      client.longValue("breakerResetMs", defaults.breakerResetMs(), 100, 600_000),
      client.integer("poolSize", defaults.poolSize(), 1, 1000),
      client.integer("maxWaitQueue", defaults.maxWaitQueue(), 1, 100_000));
  }
}
