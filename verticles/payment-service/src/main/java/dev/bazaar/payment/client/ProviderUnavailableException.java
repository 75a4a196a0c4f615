package dev.bazaar.payment.client;

/** The provider did not answer definitively (5xx, transport failure, timeout, breaker open): try again later. */
public final class ProviderUnavailableException extends RuntimeException {
  public ProviderUnavailableException(String message) {
    super(message, null, false, false);
  }

  public ProviderUnavailableException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
