package dev.bazaar.notification.domain;

import java.time.Instant;
import java.util.UUID;

/** A message to one user, e.g. the outcome of their order. {@code orderId} is null when it concerns no order. */
public record Notification(UUID id, UUID userId, UUID orderId, String kind, String text, boolean read, Instant createdAt) {
}
