package dev.bazaar.platform.events;

import java.util.UUID;

/** Not charged; {@code reason}: {@code declined}, {@code provider_unavailable} or {@code cancelled}. */
public record PaymentFailed(UUID userId, String reason) implements PaymentEvent {
  public PaymentFailed {
    Fields.required(userId, "userId");
    Fields.text(reason, "reason");
  }
}
