package dev.bazaar.provider.domain;

import java.util.Optional;

/** The test card tokens the simulator knows; any other token is invalid (nothing is charged). */
public enum CardToken {
  /** Always authorised. */
  OK("tok_ok"),
  /** Always declined by the "issuer" ({@code card_declined}). */
  DECLINED("tok_declined");

  private final String value;

  CardToken(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  public static Optional<CardToken> parse(String token) {
    for (CardToken candidate : values()) {
      if (candidate.value.equals(token)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
