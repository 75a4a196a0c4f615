package dev.bazaar.platform.resilience;

/** No live instance of a service is in discovery, or every one's breaker is open. */
public final class NoInstanceAvailableException extends RuntimeException {
  private final String service;

  public NoInstanceAvailableException(String service, String why) {
    super(service + ": " + why, null, false, false);
    this.service = service;
  }

  public String service() {
    return service;
  }
}
