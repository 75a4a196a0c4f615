package dev.bazaar.payment.client;

/** The provider refused a call for good (4xx other than a decline): retrying the same call will not help. */
public final class ProviderRejectedException extends RuntimeException {
  private final int status;

  public ProviderRejectedException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
