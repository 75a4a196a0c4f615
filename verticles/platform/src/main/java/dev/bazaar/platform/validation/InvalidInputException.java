package dev.bazaar.platform.validation;

/**
 * Input that breaks a contract (shape, types, bounds), thrown where a parser cannot go on; the
 * message says what was expected. Where every field can be checked first, collect
 * {@link FieldError}s instead ({@link Checked}).
 */
public final class InvalidInputException extends RuntimeException {
  public InvalidInputException(String detail) {
    super(detail, null, false, false);
  }
}
