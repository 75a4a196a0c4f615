package dev.bazaar.system.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The invariants of DESIGN.md §4 for the orders of one chaos run, read through the public API as
 * the run's own customer (and the provider simulator's charge book): every accepted order
 * settles, stock is conserved for the run's products, and no order is charged more than once or
 * keeps a charge it was cancelled for.
 */
public final class Invariants {
  private final Api api;
  private final String customer;
  private final String providerUrl;
  private final Consumer<String> log;

  int accepted;
  int unsettled;
  int missing;
  int unacknowledged;
  int unacknowledgedConfirmed;
  int confirmed;
  int cancelled;
  Map<String, Integer> cancelReasons = new LinkedHashMap<>();
  final List<Map<String, Object>> stock = new ArrayList<>();
  int doubleCharges;
  int confirmedUnpaid;
  int cancelledCharged;
  int providerChargesKeptForCancelled = -1;
  double settleSeconds;
  final Map<String, String> statusById = new HashMap<>();
  final List<String> violations = new ArrayList<>();

  public Invariants(Api api, String customer, String providerUrl, Consumer<String> log) {
    this.api = api;
    this.customer = customer;
    this.providerUrl = providerUrl;
    this.log = log;
  }

  /** Waits (at most {@code deadline} overall) for the orders to settle and their effects to land, then checks. */
  public Invariants check(List<OrderStream.Placement> placements, Map<String, Long> putIn, Duration deadline) {
    long start = System.nanoTime();
    long end = start + deadline.toNanos();
    Set<String> acceptedIds = new HashSet<>();
    placements.stream().filter(p -> p.orderId() != null).forEach(p -> acceptedIds.add(p.orderId()));
    accepted = acceptedIds.size();
    log.accept("waiting (<= " + deadline.toSeconds() + " s) for " + accepted + " accepted orders to settle");
    waitUntil(end, () -> api.total("/api/v1/orders?status=PENDING", customer) == 0);
    settleSeconds = (System.nanoTime() - start) / 1e9;
    List<Map<String, Object>> orders = null;
    while (orders == null && System.nanoTime() < end) {
      orders = api.all("/api/v1/orders", customer);
    }
    if (orders == null) {
      violations.add("the customer's orders could not be listed");
      return this;
    }
    Map<String, String> status = statusById;
    Map<String, Long> confirmedUnits = new HashMap<>();
    for (Map<String, Object> order : orders) {
      String id = Json.string(order, "id");
      String s = Json.string(order, "status");
      status.put(id, s);
      if ("CONFIRMED".equals(s)) {
        for (Map<String, Object> line : Json.objects(order.get("items"))) {
          confirmedUnits.merge(Json.string(line, "productId"), Json.number(line, "quantity", 0), Long::sum);
        }
      }
      if (!acceptedIds.contains(id)) {
        unacknowledged++;
        unacknowledgedConfirmed += "CONFIRMED".equals(s) ? 1 : 0;
      }
    }
    for (String id : acceptedIds) {
      String s = status.get(id);
      if (s == null) {
        missing++;
      } else if (s.equals("PENDING")) {
        unsettled++;
      } else if (s.equals("CONFIRMED")) {
        confirmed++;
      } else {
        cancelled++;
      }
    }
    for (Map<String, Object> order : orders) {
      if ("CANCELLED".equals(Json.string(order, "status"))) {
        cancelReasons.merge(String.valueOf(order.get("reason")), 1, Integer::sum);
      }
    }
    if (unsettled > 0) {
      violations.add(unsettled + " accepted order(s) still PENDING after " + deadline.toSeconds() + " s");
    }
    if (missing > 0) {
      violations.add(missing + " accepted order(s) (202) missing from the customer's orders");
    }
    checkStock(putIn, confirmedUnits, end);
    checkCharges(status, end);
    return this;
  }

  /** available + units in CONFIRMED orders == units put in, per product (compensation may lag: waits). */
  private void checkStock(Map<String, Long> putIn, Map<String, Long> confirmedUnits, long end) {
    Map<String, Long> available = new HashMap<>();
    waitUntil(end, () -> {
      boolean all = true;
      for (Map.Entry<String, Long> product : putIn.entrySet()) {
        long now = api.available(product.getKey());
        available.put(product.getKey(), now);
        all &= now + confirmedUnits.getOrDefault(product.getKey(), 0L) == product.getValue();
      }
      return all;
    });
    for (Map.Entry<String, Long> product : putIn.entrySet()) {
      long avail = available.getOrDefault(product.getKey(), -1L);
      long sold = confirmedUnits.getOrDefault(product.getKey(), 0L);
      boolean ok = avail + sold == product.getValue();
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("productId", product.getKey());
      row.put("putIn", product.getValue());
      row.put("available", avail);
      row.put("confirmedUnits", sold);
      row.put("conserved", ok);
      stock.add(row);
      if (!ok) {
        violations.add("stock of " + product.getKey() + " not conserved: available " + avail + " + confirmed " + sold
          + " != put in " + product.getValue());
      }
    }
  }

  /** Per order at most one successful payment; CONFIRMED has one, CANCELLED keeps none (refunds may lag: waits). */
  private void checkCharges(Map<String, String> status, long end) {
    int[] counts = new int[3];
    waitUntil(end, () -> {
      List<Map<String, Object>> payments = api.all("/api/v1/payments", customer);
      if (payments == null) {
        return false;
      }
      Map<String, Integer> successful = new HashMap<>();
      Map<String, Integer> kept = new HashMap<>();
      for (Map<String, Object> payment : payments) {
        String order = Json.string(payment, "orderId");
        String s = Json.string(payment, "status");
        if ("SUCCEEDED".equals(s) || "REFUNDED".equals(s)) {
          successful.merge(order, 1, Integer::sum);
        }
        if ("SUCCEEDED".equals(s)) {
          kept.merge(order, 1, Integer::sum);
        }
      }
      counts[0] = (int) successful.values().stream().filter(n -> n > 1).count();
      counts[1] = (int) status.entrySet().stream().filter(e -> "CONFIRMED".equals(e.getValue()) && !kept.containsKey(e.getKey())).count();
      counts[2] = (int) status.entrySet().stream().filter(e -> "CANCELLED".equals(e.getValue()) && kept.containsKey(e.getKey())).count();
      return counts[1] + counts[2] == 0;
    });
    doubleCharges = counts[0];
    confirmedUnpaid = counts[1];
    cancelledCharged = counts[2];
    if (doubleCharges > 0) {
      violations.add(doubleCharges + " order(s) with more than one successful payment");
    }
    if (confirmedUnpaid > 0) {
      violations.add(confirmedUnpaid + " CONFIRMED order(s) without a successful payment");
    }
    if (cancelledCharged > 0) {
      violations.add(cancelledCharged + " CANCELLED order(s) still charged (payment SUCCEEDED, not refunded)");
    }
    if (providerUrl != null) {
      providerChargesKeptForCancelled = 0;
      for (Map.Entry<String, String> order : status.entrySet()) {
        if ("CANCELLED".equals(order.getValue()) && providerKeepsCharge(order.getKey())) {
          providerChargesKeptForCancelled++;
        }
      }
      if (providerChargesKeptForCancelled > 0) {
        violations.add(providerChargesKeptForCancelled + " CANCELLED order(s) with an unrefunded charge at the provider");
      }
    }
  }

  /** The provider keys its charges by order id: does it hold a succeeded, unrefunded one for {@code orderId}? */
  private boolean providerKeepsCharge(String orderId) {
    Api.Reply reply = api.send("GET", Api.loopback(providerUrl + "/v1/charges?idempotencyKey=" + orderId), null, null, Duration.ofSeconds(5));
    if (reply.status() != 200) {
      return false;
    }
    Map<String, Object> charge = reply.json();
    return "succeeded".equals(Json.string(charge, "status")) && !charge.containsKey("refundId");
  }

  private static boolean waitUntil(long endNanos, BooleanSupplier condition) {
    return Poll.until(endNanos, 500, condition);
  }

  public double confirmedPercent() {
    return accepted == 0 ? 0 : 100.0 * confirmed / accepted;
  }

  public List<String> violations() {
    return List.copyOf(violations);
  }

  Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("accepted", accepted);
    json.put("confirmed", confirmed);
    json.put("cancelled", cancelled);
    json.put("cancelReasons", cancelReasons);
    json.put("unsettled", unsettled);
    json.put("missing", missing);
    json.put("createdWithout202", unacknowledged);
    json.put("createdWithout202Confirmed", unacknowledgedConfirmed);
    json.put("confirmedPercent", confirmedPercent());
    json.put("settleSeconds", settleSeconds);
    json.put("stock", stock);
    json.put("ordersChargedTwice", doubleCharges);
    json.put("confirmedWithoutPayment", confirmedUnpaid);
    json.put("cancelledStillCharged", cancelledCharged);
    json.put("providerChargesKeptForCancelled", providerChargesKeptForCancelled < 0 ? null : providerChargesKeptForCancelled);
    json.put("violations", violations);
    return json;
  }
}
