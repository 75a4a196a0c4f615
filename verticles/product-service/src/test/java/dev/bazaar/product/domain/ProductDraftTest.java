package dev.bazaar.product.domain;

import dev.bazaar.platform.validation.FieldError;
import dev.bazaar.platform.validation.Checked;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProductDraftTest {
  private static final Set<String> CURRENCIES = Set.of("EUR", "USD", "GBP");

  @Test
  void aValidDraftIsTrimmedAndKept() {
    Checked<ProductDraft> checked = check("MUG-01_a", "  Mug ", " Holds\ttea.\n ", 1299, "EUR");
    assertThat(checked.ok()).isTrue();
    assertThat(checked.value()).isEqualTo(new ProductDraft("MUG-01_a", "Mug", "Holds\ttea.", 1299, "EUR"));
  }

  @Test
  void descriptionIsOptionalAndPricesSpanTheirWholeRange() {
    assertThat(check("A", "A", null, 0, "GBP").value().description()).isEmpty();
    assertThat(check("A", "A", "", 100_000_000, "USD").value().priceCents()).isEqualTo(100_000_000);
    assertThat(check("A", "A", "", BigInteger.valueOf(7), "USD").value().priceCents()).isEqualTo(7);
    assertThat(check("s".repeat(64), "n".repeat(200), "d".repeat(2000), 1L, "EUR").ok()).isTrue();
  }

  @Test
  void pricesMustBeWholeCentsInRange() {
    for (Object price : List.of(-1, 100_000_001, 12.5, 12.0, 1e3, "1299", true, Long.MAX_VALUE,
      new BigInteger("100000000000000000000000"), new BigDecimal("12"))) {
      assertThat(errors(check("A", "A", "", price, "EUR"))).as("price %s", price).containsExactly("priceCents");
    }
  }

  @Test
  void skusAreShortAndPlain() {
    for (Object sku : List.of("", " A", "a b", "ä", "a/b", "s".repeat(65), 12, "a%")) {
      assertThat(errors(check(sku, "A", "", 1, "EUR"))).as("sku %s", sku).containsExactly("sku");
    }
  }

  @Test
  void namesAndDescriptionsAreBoundedAndPrintable() {
    for (Object name : List.of("", "   ", "n".repeat(201), "a\u0000b", "line\nbreak", 5)) {
      assertThat(errors(check("A", name, "", 1, "EUR"))).as("name %s", name).containsExactly("name");
    }
    for (Object description : List.of("d".repeat(2001), "bell\u0007", 5, List.of())) {
      assertThat(errors(check("A", "A", description, 1, "EUR"))).as("description %s", description).containsExactly("description");
    }
  }

  @Test
  void currenciesAreIsoCodesFromTheAcceptedSet() {
    for (Object currency : List.of("eur", "EURO", "EU", "JPY", "", 978)) {
      assertThat(errors(check("A", "A", "", 1, currency))).as("currency %s", currency).containsExactly("currency");
    }
    assertThat(check("A", "A", "", 1, "JPY").errors().get(0).message()).isEqualTo("must be one of EUR, GBP, USD");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    Checked<ProductDraft> checked = ProductDraft.check(null, null, null, null, null, CURRENCIES);
    assertThat(checked.ok()).isFalse();
    assertThat(checked.value()).isNull();
    assertThat(errors(checked)).containsExactly("sku", "name", "priceCents", "currency");
  }

  @Test
  void configuredCurrenciesMustBeIsoCodes() {
    assertThat(ProductDraft.currencies(List.of("CHF"))).containsExactly("CHF");
    assertThatThrownBy(() -> ProductDraft.currencies(List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ProductDraft.currencies(List.of("EUR", "usd"))).isInstanceOf(IllegalArgumentException.class);
  }

  private static Checked<ProductDraft> check(Object sku, Object name, Object description, Object price, Object currency) {
    return ProductDraft.check(sku, name, description, price, currency, CURRENCIES);
  }

  private static List<String> errors(Checked<?> checked) {
    return checked.errors().stream().map(FieldError::field).toList();
  }
}
