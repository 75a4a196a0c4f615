package dev.bazaar.platform.config;

/**
 * How calls to other services are guarded: a timeout per attempt, retries with exponential
 * backoff and full jitter (idempotent calls only) within a total budget, and circuit breakers.
 */
public record ClientSettings(long timeoutMs, int maxAttempts, long backoffBaseMs, long backoffCapMs, long retryBudgetMs,
                             int breakerMaxFailures, long breakerResetMs, int poolSize, int maxWaitQueue) {

  public static ClientSettings from(ConfigReader client) {
    return new ClientSettings(
      client.longValue("timeoutMs", 3000, 10, 120_000),
      client.integer("maxAttempts", 3, 1, 10),
      client.longValue("backoffBaseMs", 100, 1, 60_000),
      client.longValue("backoffCapMs", 2000, 1, 60_000),
      client.longValue("retryBudgetMs", 5000, 10, 300_000),
      client.integer("breakerMaxFailures", 5, 1, 1000),
      client.longValue("breakerResetMs", 3000, 100, 600_000),
      client.integer("poolSize", 64, 1, 1000),
      client.integer("maxWaitQueue", 1024, 1, 100_000));
  }
}
