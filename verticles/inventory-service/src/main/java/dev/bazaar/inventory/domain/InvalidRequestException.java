package dev.bazaar.inventory.domain;

/** A request that breaks the contract (shape, types, bounds); the message says what was expected. */
public final class InvalidRequestException extends RuntimeException {
  public InvalidRequestException(String detail) {
    super(detail, null, false, false);
  }
}
