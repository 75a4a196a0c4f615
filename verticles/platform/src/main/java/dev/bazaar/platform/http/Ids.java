package dev.bazaar.platform.http;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Ids are UUIDs in canonical form only ({@code UUID.fromString} also takes "1-1-1-1-1"). */
public final class Ids {
  private static final Pattern CANONICAL = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private Ids() {
  }

  public static Optional<UUID> parse(String text) {
    return text != null && CANONICAL.matcher(text).matches() ? Optional.of(UUID.fromString(text)) : Optional.empty();
  }

  /** The id, or a 404 problem naming what was looked for (a malformed id names nothing that exists). */
  public static UUID orNotFound(String text, String what) {
    return parse(text).orElseThrow(() -> ApiException.notFound("No " + what + " " + text + "."));
  }
}
