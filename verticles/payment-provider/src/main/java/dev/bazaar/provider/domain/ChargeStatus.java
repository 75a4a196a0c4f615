package dev.bazaar.provider.domain;

/** A charge is settled when it is created: the card is either charged or declined. */
public enum ChargeStatus {
  SUCCEEDED("succeeded"),
  DECLINED("declined");

  private final String value;

  ChargeStatus(String value) {
    this.value = value;
  }

  /** The wire form ({@code "succeeded"}, {@code "declined"}). */
  public String value() {
    return value;
  }
}
