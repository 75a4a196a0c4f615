package dev.bazaar.system.chaos;

/**
 * What a fault plan pulls: the processes of one Bazaar cluster. {@code scripts/bazaar chaos} pulls
 * them through {@code scripts/bazaar} ({@link LocalCluster}); the system test through the JVMs it
 * started itself.
 */
public interface Levers {
  /** SIGKILLs the newest instance of {@code name} (a service, {@code kafka} or {@code postgres}); returns its pid. */
  long killHard(String name) throws Exception;

  /** SIGTERMs the newest instance of {@code name} and waits for it to exit; returns its pid. */
  long stop(String name) throws Exception;

  /** Starts {@code name} again, as an operator would after it died. */
  void restart(String name) throws Exception;

  /** SIGSTOPs the newest instance of {@code name}; returns its pid. */
  long freeze(String name) throws Exception;

  /** SIGCONTs {@code pid}. */
  void thaw(long pid) throws Exception;

  /** Base URL of the payment-provider simulator (loopback), for its fault switches. */
  String providerUrl();
}
