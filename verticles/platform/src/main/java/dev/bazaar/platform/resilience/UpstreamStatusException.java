package dev.bazaar.platform.resilience;

/** An upstream answered with a 5xx status: a failure for the breaker, and retryable when the call is idempotent. */
public final class UpstreamStatusException extends RuntimeException {
  private final UpstreamResponse response;

  public UpstreamStatusException(UpstreamResponse response) {
    super("upstream answered " + response.status(), null, false, false);
    this.response = response;
  }

  public UpstreamResponse response() {
    return response;
  }
}
