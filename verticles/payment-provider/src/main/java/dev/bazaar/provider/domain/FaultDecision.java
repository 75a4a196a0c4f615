package dev.bazaar.provider.domain;

/** The fate of one {@code /v1} call: wait {@code delayMs}, then {@link Kind}. */
public record FaultDecision(Kind kind, long delayMs) {
  public enum Kind {
    /** Served normally. */
    PASS,
    /** 503 before anything is done. */
    ERROR,
    /** Carried out, never answered: the connection is closed after the hold time. */
    TIMEOUT,
    /** 503 with Retry-After, at once. */
    OUTAGE
  }
}
