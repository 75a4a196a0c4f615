package dev.bazaar.provider.domain;

import java.time.Clock;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The processor's ledger, in memory: charges by idempotency key and by id, each refunded at most
 * once.
 *
 * <p>Idempotent like a real processor: a key seen before returns the charge it made (even a
 * declined one), never a second charge; the same key with a different request is refused.
 *
 * <p>Bounded: at most {@code capacity} charges are kept; when full, the oldest charge is
 * forgotten (its key and id with it), like a processor's idempotency window. Until then a key is
 * never charged twice.
 *
 * <p>Not thread-safe: one instance is confined to one event loop (the verticle's).
 */
public final class ChargeBook {
  private final int capacity;
  private final Supplier<String> randomIds;
  private final Clock clock;
  /** Insertion order = age: the first entry is the oldest, evicted first. */
  private final LinkedHashMap<String, Charge> byKey = new LinkedHashMap<>();
  private final Map<String, Charge> byId = new HashMap<>();
  private long evicted;

  /**
   * @param capacity  how many charges are kept at most
   * @param randomIds unique random suffixes for charge and refund ids ({@code ch_…}, {@code re_…})
   */
  public ChargeBook(int capacity, Supplier<String> randomIds, Clock clock) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    this.capacity = capacity;
    this.randomIds = Objects.requireNonNull(randomIds);
    this.clock = Objects.requireNonNull(clock);
  }

  public ChargeOutcome charge(ChargeRequest request) {
    Charge existing = byKey.get(request.idempotencyKey());
    if (existing != null) {
      return existing.request().sameChargeAs(request)
        ? new ChargeOutcome.Replayed(existing)
        : new ChargeOutcome.KeyReused(existing);
    }
    ChargeStatus status = request.token() == CardToken.OK ? ChargeStatus.SUCCEEDED : ChargeStatus.DECLINED;
    Charge charge = new Charge(newChargeId(), request, status, clock.millis(), null);
    if (byKey.size() >= capacity) {
      evictOldest();
    }
    byKey.put(charge.idempotencyKey(), charge);
    byId.put(charge.id(), charge);
    return new ChargeOutcome.Created(charge);
  }

  public RefundOutcome refund(String chargeId) {
    Charge charge = byId.get(chargeId);
    if (charge == null) {
      return new RefundOutcome.NotFound(chargeId);
    }
    if (charge.refund() != null) {
      return new RefundOutcome.Replayed(charge.refund());
    }
    if (charge.status() != ChargeStatus.SUCCEEDED) {
      return new RefundOutcome.NotRefundable(charge);
    }
    Refund refund = new Refund("re_" + randomIds.get(), charge.id(), charge.amountCents(), charge.currency(), clock.millis());
    Charge refunded = charge.withRefund(refund);
    byKey.put(refunded.idempotencyKey(), refunded); // same key: keeps its place in the age order
    byId.put(refunded.id(), refunded);
    return new RefundOutcome.Created(refund);
  }

  public Optional<Charge> byId(String chargeId) {
    return Optional.ofNullable(byId.get(chargeId));
  }

  public Optional<Charge> byIdempotencyKey(String key) {
    return Optional.ofNullable(byKey.get(key));
  }

  public int size() {
    return byKey.size();
  }

  public int capacity() {
    return capacity;
  }

  /** How many charges were forgotten to stay within capacity. */
  public long evicted() {
    return evicted;
  }

  private void evictOldest() {
    Iterator<Charge> oldest = byKey.values().iterator();
    Charge charge = oldest.next();
    oldest.remove();
    byId.remove(charge.id());
    evicted++;
  }

  private String newChargeId() {
    String id;
    do {
      id = "ch_" + randomIds.get();
    } while (byId.containsKey(id));
    return id;
  }
}
