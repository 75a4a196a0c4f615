package dev.bazaar.platform.validation;

/** One rejected field of a request and why. */
public record FieldError(String field, String message) {
}
