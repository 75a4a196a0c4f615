package dev.bazaar.gateway.live;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** The addresses a bridge client may listen to (DESIGN §3 "Live"): {@code notifications.<userId>} and {@code ops.events}. */
public final class LiveAddresses {
  public static final String OPS_EVENTS = "ops.events";
  public static final String NOTIFICATIONS_PREFIX = "notifications.";
  /** notifications.&lt;a canonical, lower-case UUID&gt; */
  public static final String NOTIFICATIONS_REGEX = "notifications\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
  private static final Pattern NOTIFICATIONS = Pattern.compile(NOTIFICATIONS_REGEX);

  private LiveAddresses() {
  }

  public static String notifications(String userId) {
    return NOTIFICATIONS_PREFIX + userId;
  }

  /** The user whose notifications {@code address} carries; empty for any other address. */
  static Optional<String> notificationsOwner(String address) {
    if (address == null || !NOTIFICATIONS.matcher(address).matches()) {
      return Optional.empty();
    }
    String owner = address.substring(NOTIFICATIONS_PREFIX.length());
    return UUID.fromString(owner).toString().equals(owner) ? Optional.of(owner) : Optional.empty();
  }

  /** The kind of {@code address} for metrics ({@code notifications}, {@code ops.events}), never a user id. */
  static String kind(String address) {
    return OPS_EVENTS.equals(address) ? OPS_EVENTS : "notifications";
  }
}
