/**
 * The one shape of a validation result in Bazaar, free of Vert.x so that {@code domain/} packages
 * use it: a list of {@link dev.bazaar.platform.validation.FieldError}s (with the value when there is
 * one: {@link dev.bazaar.platform.validation.Checked}), or, where parsing cannot go on,
 * {@link dev.bazaar.platform.validation.InvalidInputException}. The HTTP side turns errors into a
 * 400 problem with {@code errors} ({@link dev.bazaar.platform.http.Validation}).
 */
package dev.bazaar.platform.validation;
