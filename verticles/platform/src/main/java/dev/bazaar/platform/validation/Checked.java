package dev.bazaar.platform.validation;

import java.util.List;

/** A value built from untrusted input, or every reason it could not be. */
public record Checked<T>(T value, List<FieldError> errors) {

  public Checked {
    errors = List.copyOf(errors);
  }

  public boolean ok() {
    return errors.isEmpty();
  }
}
