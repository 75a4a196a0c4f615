package dev.bazaar.platform.http;

import dev.bazaar.platform.validation.FieldError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Collection;

/** Collects every field error of a request, then fails once with all of them (400 problem with {@code errors}). */
public final class Validation {
  private final JsonArray errors = new JsonArray();

  public Validation reject(String field, String message) {
    errors.add(new JsonObject().put("field", field).put("message", message));
    return this;
  }

  public Validation reject(FieldError error) {
    return reject(error.field(), error.message());
  }

  /** Every error a domain check found ({@link dev.bazaar.platform.validation.Checked#errors()}, say). */
  public Validation rejectAll(Collection<FieldError> found) {
    found.forEach(this::reject);
    return this;
  }

  public boolean ok() {
    return errors.isEmpty();
  }

  /** Throws a 400 problem listing every rejected field, if any. */
  public void check() {
    if (!errors.isEmpty()) {
      throw ApiException.invalid(errors);
    }
  }

  /** A string field: present, a string, within length bounds; null when rejected. */
  public String string(JsonObject body, String field, int min, int max) {
    Object value = body.getValue(field);
    if (value == null) {
      reject(field, "is required");
      return null;
    }
    if (!(value instanceof String s)) {
      reject(field, "must be a string");
      return null;
    }
    String trimmed = s.strip();
    if (trimmed.length() < min || trimmed.length() > max) {
      reject(field, "must be " + min + " to " + max + " characters");
      return null;
    }
    return trimmed;
  }
}
