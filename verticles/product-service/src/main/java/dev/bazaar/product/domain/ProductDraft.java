package dev.bazaar.product.domain;

import dev.bazaar.platform.validation.FieldError;
import dev.bazaar.platform.validation.Checked;
import dev.bazaar.platform.http.WholeNumbers;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What an admin sends to create or fully replace a product, validated: SKU (1 to 64 of
 * {@code [A-Za-z0-9_-]}, exact), name (1 to 200 printable characters, trimmed), description (0 to
 * 2000 characters, line breaks and tabs allowed, trimmed; absent means empty), price in whole cents
 * (0 to 100 000 000) and a currency from the accepted set.
 */
public record ProductDraft(String sku, String name, String description, int priceCents, String currency) {
  public static final int MAX_NAME = 200;
  public static final int MAX_DESCRIPTION = 2000;
  public static final int MAX_PRICE_CENTS = 100_000_000;
  private static final Pattern SKU = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

  /** The draft from raw JSON values, or every field problem at once. */
  public static Checked<ProductDraft> check(Object sku, Object name, Object description, Object priceCents, Object currency,
                                            Set<String> currencies) {
    List<FieldError> errors = new ArrayList<>();
    String checkedSku = sku(sku, errors);
    String checkedName = name(name, errors);
    String checkedDescription = description(description, errors);
    int checkedPrice = price(priceCents, errors);
    String checkedCurrency = currency(currency, currencies, errors);
    ProductDraft draft = errors.isEmpty()
      ? new ProductDraft(checkedSku, checkedName, checkedDescription, checkedPrice, checkedCurrency)
      : null;
    return new Checked<>(draft, errors);
  }

  /** A currency set from configuration: not empty, every entry an ISO 4217 code. */
  public static Set<String> currencies(List<String> codes) {
    if (codes.isEmpty() || codes.stream().anyMatch(code -> !CURRENCY.matcher(code).matches())) {
      throw new IllegalArgumentException("currencies must be ISO 4217 codes (3 uppercase letters), at least one; got " + codes);
    }
    return Set.copyOf(codes);
  }

  private static String sku(Object raw, List<FieldError> errors) {
    if (raw == null) {
      errors.add(new FieldError("sku", "is required"));
    } else if (!(raw instanceof String s) || !SKU.matcher(s).matches()) {
      errors.add(new FieldError("sku", "must be 1 to 64 of A-Z, a-z, 0-9, '_' and '-'"));
    } else {
      return s;
    }
    return null;
  }

  private static String name(Object raw, List<FieldError> errors) {
    if (!(raw instanceof String s) || s.isBlank()) {
      errors.add(new FieldError("name", raw == null ? "is required" : "must be a non-blank string"));
      return null;
    }
    String name = s.strip();
    if (name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
      errors.add(new FieldError("name", "must be 1 to " + MAX_NAME + " printable characters"));
      return null;
    }
    return name;
  }

  private static String description(Object raw, List<FieldError> errors) {
    if (raw == null) {
      return "";
    }
    if (!(raw instanceof String s)) {
      errors.add(new FieldError("description", "must be a string"));
      return null;
    }
    String description = s.strip();
    boolean unprintable = description.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t');
    if (description.length() > MAX_DESCRIPTION || unprintable) {
      errors.add(new FieldError("description", "must be at most " + MAX_DESCRIPTION + " printable characters"));
      return null;
    }
    return description;
  }

  private static int price(Object raw, List<FieldError> errors) {
    if (raw == null) {
      errors.add(new FieldError("priceCents", "is required"));
      return -1;
    }
    if (!WholeNumbers.isIntegral(raw)) {
      errors.add(new FieldError("priceCents", "must be a whole number of cents"));
      return -1;
    }
    OptionalLong cents = WholeNumbers.of(raw);
    if (cents.isEmpty() || cents.getAsLong() < 0 || cents.getAsLong() > MAX_PRICE_CENTS) {
      errors.add(new FieldError("priceCents", "must be from 0 to " + MAX_PRICE_CENTS));
      return -1;
    }
    return (int) cents.getAsLong();
  }

  private static String currency(Object raw, Set<String> accepted, List<FieldError> errors) {
    if (raw == null) {
      errors.add(new FieldError("currency", "is required"));
    } else if (!(raw instanceof String s) || !CURRENCY.matcher(s).matches()) {
      errors.add(new FieldError("currency", "must be an ISO 4217 code (3 uppercase letters)"));
    } else if (!accepted.contains(s)) {
      errors.add(new FieldError("currency", "must be one of " + String.join(", ", new TreeSet<>(accepted))));
    } else {
      return s;
    }
    return null;
  }
}
