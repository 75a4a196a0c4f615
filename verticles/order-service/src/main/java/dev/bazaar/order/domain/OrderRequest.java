package dev.bazaar.order.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/** A valid request to place an order: 1 to 50 distinct products, and the token to pay with. */
public record OrderRequest(List<RequestedLine> lines, String paymentToken) {
  public static final int MIN_LINES = 1;
  public static final int MAX_LINES = 50;
  public static final int MIN_QUANTITY = 1;
  public static final int MAX_QUANTITY = 1000;

  public OrderRequest {
    lines = List.copyOf(lines);
    Objects.requireNonNull(paymentToken, "paymentToken");
    if (lines.size() < MIN_LINES || lines.size() > MAX_LINES) {
      throw new IllegalArgumentException("an order has " + MIN_LINES + " to " + MAX_LINES + " lines");
    }
    Set<UUID> seen = new HashSet<>();
    for (RequestedLine line : lines) {
      if (!seen.add(line.productId())) {
        throw new IllegalArgumentException("product " + line.productId() + " appears twice");
      }
    }
  }

  /** The products asked for, in request order. */
  public Set<UUID> productIds() {
    Set<UUID> ids = new LinkedHashSet<>();
    lines.forEach(line -> ids.add(line.productId()));
    return ids;
  }

  /**
   * SHA-256 of the canonical form of the request (lines sorted by product, then the token), so that
   * a retry with the same Idempotency-Key can be told apart from a different request under that key,
   * however its JSON was spelled or its lines ordered.
   */
  public String fingerprint() {
    StringBuilder canonical = new StringBuilder("order-request/v1\n");
    lines.stream()
      .sorted(Comparator.comparing(RequestedLine::productId))
      .forEach(line -> canonical.append(line.productId()).append(' ').append(line.quantity()).append('\n'));
    canonical.append("token ").append(paymentToken).append('\n');
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
