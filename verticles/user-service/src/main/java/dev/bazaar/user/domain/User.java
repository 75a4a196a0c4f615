package dev.bazaar.user.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A user as stored; the hash never leaves the service. */
public record User(UUID id, String email, String name, String passwordHash, List<String> roles, Instant createdAt) {
  public static final String CUSTOMER = "customer";
  public static final String ADMIN = "admin";
}
