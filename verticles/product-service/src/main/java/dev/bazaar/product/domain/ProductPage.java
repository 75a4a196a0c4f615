package dev.bazaar.product.domain;

import java.util.List;

/** One page of a catalog search and how many products matched in all. */
public record ProductPage(List<Product> items, long total) {
}
