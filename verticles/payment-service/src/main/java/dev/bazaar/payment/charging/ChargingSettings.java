package dev.bazaar.payment.charging;

import dev.bazaar.platform.config.ConfigReader;

/**
 * The charging step (section {@code charging}).
 *
 * @param defaultDeadlineMs the order's deadline when its OrderCreated was not seen (yet): StockReserved's occurredAt plus this
 * @param leaseMs           a worker's hold on a payment row, renewed before every provider call
 * @param sweepIntervalMs   how often rows with work left (PENDING, or a refund owed) and no live lease are picked up
 * @param maxConcurrent     payments worked on at once by one instance
 * @param factsRetentionHours order facts (deadline, cancellation) older than this are deleted
 */
public record ChargingSettings(long defaultDeadlineMs, long leaseMs, long sweepIntervalMs, int maxConcurrent,
                               int factsRetentionHours) {

  public static ChargingSettings from(ConfigReader charging) {
    return new ChargingSettings(
      charging.longValue("defaultDeadlineMs", 120_000, 100, 24 * 3_600_000L),
      charging.longValue("leaseMs", 15_000, 100, 3_600_000),
      charging.longValue("sweepIntervalMs", 2_000, 10, 600_000),
      charging.integer("maxConcurrent", 32, 1, 10_000),
      charging.integer("factsRetentionHours", 24 * 7, 1, 24 * 3650));
  }
}
