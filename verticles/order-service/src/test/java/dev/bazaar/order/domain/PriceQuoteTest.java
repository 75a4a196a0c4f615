package dev.bazaar.order.domain;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PriceQuoteTest {
  static final UUID A = UUID.randomUUID();
  static final UUID B = UUID.randomUUID();
  static final UUID C = UUID.randomUUID();

  @Test
  void pricesEveryLineAtTheCatalogPriceInRequestOrder() {
    OrderRequest request = new OrderRequest(List.of(new RequestedLine(B, 3), new RequestedLine(A, 2)), "tok_ok");
    PriceQuote quote = PriceQuote.of(request, Map.of(A, new ProductPrice(A, 1999, "EUR"), B, new ProductPrice(B, 500, "EUR")));
    assertThat(quote).isInstanceOf(PriceQuote.Priced.class);
    PriceQuote.Priced priced = (PriceQuote.Priced) quote;
    assertThat(priced.lines()).containsExactly(new OrderLine(B, 3, 500), new OrderLine(A, 2, 1999));
    assertThat(priced.totalCents()).isEqualTo(3 * 500 + 2 * 1999);
    assertThat(priced.currency()).isEqualTo("EUR");
  }

  @Test
  void namesEveryUnknownProduct() {
    OrderRequest request = new OrderRequest(List.of(new RequestedLine(A, 1), new RequestedLine(B, 1), new RequestedLine(C, 1)), "tok_ok");
    PriceQuote quote = PriceQuote.of(request, Map.of(B, new ProductPrice(B, 500, "EUR")));
    assertThat(quote).isEqualTo(new PriceQuote.UnknownProducts(List.of(A, C)));
  }

  @Test
  void refusesMixedCurrencies() {
    OrderRequest request = new OrderRequest(List.of(new RequestedLine(A, 1), new RequestedLine(B, 1)), "tok_ok");
    PriceQuote quote = PriceQuote.of(request, Map.of(A, new ProductPrice(A, 100, "EUR"), B, new ProductPrice(B, 100, "USD")));
    assertThat(quote).isInstanceOf(PriceQuote.MixedCurrencies.class);
    assertThat(((PriceQuote.MixedCurrencies) quote).currencies()).containsExactlyInAnyOrder("EUR", "USD");
  }

  @Test
  void theLargestPossibleOrderDoesNotOverflow() {
    List<RequestedLine> lines = new java.util.ArrayList<>();
    Map<UUID, ProductPrice> catalog = new java.util.HashMap<>();
    for (int i = 0; i < OrderRequest.MAX_LINES; i++) {
      UUID id = UUID.randomUUID();
      lines.add(new RequestedLine(id, OrderRequest.MAX_QUANTITY));
      catalog.put(id, new ProductPrice(id, ProductPrice.MAX_PRICE_CENTS, "EUR"));
    }
    PriceQuote.Priced priced = (PriceQuote.Priced) PriceQuote.of(new OrderRequest(lines, "tok_ok"), catalog);
    assertThat(priced.totalCents()).isEqualTo(50L * 1000 * ProductPrice.MAX_PRICE_CENTS);
  }

  @Test
  void catalogPricesAreValidated() {
    assertThatThrownBy(() -> new ProductPrice(A, -1, "EUR")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ProductPrice(A, 1, "eur")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ProductPrice(A, ProductPrice.MAX_PRICE_CENTS + 1, "EUR")).isInstanceOf(IllegalArgumentException.class);
  }
}
