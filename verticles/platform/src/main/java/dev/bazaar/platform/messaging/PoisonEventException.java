package dev.bazaar.platform.messaging;

/**
 * A record that can never be processed, whatever the retries: not JSON, not an envelope, an
 * unknown type, a payload its handler rejects as malformed. {@link IdempotentConsumer} sends it to
 * the dead-letter topic with {@link #reason()} and moves on; anything else a handler fails with is
 * taken as transient and retried.
 */
public final class PoisonEventException extends RuntimeException {
  public PoisonEventException(String reason) {
    super(reason, null, false, false);
  }

  public PoisonEventException(String reason, Throwable cause) {
    super(reason, cause, false, false);
  }

  public String reason() {
    return getMessage();
  }
}
