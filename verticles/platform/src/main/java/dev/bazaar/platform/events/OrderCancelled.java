package dev.bazaar.platform.events;

import java.util.UUID;

/**
 * PENDING/CONFIRMED → CANCELLED. Every field may be absent on the wire: a compensation is never
 * dead-lettered for a field it does not need (inventory releases whatever the payload lacks); a
 * consumer that needs one checks it.
 */
public record OrderCancelled(UUID userId, String reason, String previousStatus) implements OrderEvent {
}
