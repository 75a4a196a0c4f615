package dev.bazaar.provider.domain;

/** What {@link ChargeBook#charge} did with a request. */
public sealed interface ChargeOutcome {
  /** A new charge was made (succeeded or declined). */
  record Created(Charge charge) implements ChargeOutcome {
  }

  /** The key was seen before with the same request: the earlier charge, untouched. */
  record Replayed(Charge charge) implements ChargeOutcome {
  }

  /** The key was seen before with a different token, amount or currency: nothing was charged. */
  record KeyReused(Charge existing) implements ChargeOutcome {
  }
}
