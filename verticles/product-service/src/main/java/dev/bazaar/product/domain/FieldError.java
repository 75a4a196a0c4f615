package dev.bazaar.product.domain;

/** One rejected field of a request and why. */
public record FieldError(String field, String message) {
}
