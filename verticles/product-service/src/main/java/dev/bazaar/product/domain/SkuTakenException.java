package dev.bazaar.product.domain;

/** Another product already has this SKU. */
public final class SkuTakenException extends RuntimeException {
  public SkuTakenException(String sku) {
    super("A product with SKU " + sku + " already exists.", null, false, false);
  }
}
