package dev.bazaar.inventory.domain;

/** What committing an order's reservation came to. */
public enum CommitResult {
  /** Its units are sold (now or by an earlier commit). */
  COMMITTED,
  /** Inventory has never heard of the order. */
  UNKNOWN_ORDER,
  /** The order holds nothing: its reservation was rejected. */
  REJECTED,
  /** The order holds nothing any more: its reservation was released. */
  RELEASED
}
