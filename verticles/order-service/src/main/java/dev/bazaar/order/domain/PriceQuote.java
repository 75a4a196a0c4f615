package dev.bazaar.order.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * What an order request costs at the catalog's current prices: every line priced in one currency,
 * or the reason it cannot be priced (a product the catalog does not know, currencies that differ).
 */
public sealed interface PriceQuote {

  record Priced(List<OrderLine> lines, long totalCents, String currency) implements PriceQuote {
    public Priced {
      lines = List.copyOf(lines);
    }
  }

  record UnknownProducts(List<UUID> productIds) implements PriceQuote {
    public UnknownProducts {
      productIds = List.copyOf(productIds);
    }
  }

  record MixedCurrencies(Set<String> currencies) implements PriceQuote {
    public MixedCurrencies {
      currencies = Set.copyOf(currencies);
    }
  }

  static PriceQuote of(OrderRequest request, Map<UUID, ProductPrice> catalog) {
    List<UUID> unknown = request.lines().stream()
      .map(RequestedLine::productId)
      .filter(id -> !catalog.containsKey(id))
      .toList();
    if (!unknown.isEmpty()) {
      return new UnknownProducts(unknown);
    }
    Set<String> currencies = new TreeSet<>();
    List<OrderLine> lines = new ArrayList<>();
    long total = 0;
    for (RequestedLine requested : request.lines()) {
      ProductPrice price = catalog.get(requested.productId());
      currencies.add(price.currency());
      OrderLine line = new OrderLine(requested.productId(), requested.quantity(), price.priceCents());
      lines.add(line);
      total = Math.addExact(total, line.subtotalCents());
    }
    if (currencies.size() > 1) {
      return new MixedCurrencies(currencies);
    }
    return new Priced(lines, total, currencies.iterator().next());
  }
}
