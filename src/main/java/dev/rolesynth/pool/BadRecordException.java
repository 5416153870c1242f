package dev.rolesynth.pool;

/** An input record that cannot be used; the message names the field. */
public class BadRecordException extends Exception {
  private final String reason;

  public BadRecordException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** Short machine-readable reason, e.g. {@code missing_field}. */
  public String reason() {
    return reason;
  }
}
