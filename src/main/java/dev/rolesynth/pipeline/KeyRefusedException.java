package dev.rolesynth.pipeline;

/**
 * The provider refused the API key for several calls in a row (revoked, wrong, out of credit). The
 * job stops with this instead of dead-lettering the rest of the pool one refusal at a time; the
 * launcher reports it as a configuration error naming where the key comes from.
 */
public final class KeyRefusedException extends RuntimeException {
  public static final String MARK = "the provider refused the API key for several calls in a row";

  public KeyRefusedException(String last) {
    super(MARK + " (last: " + last + ")");
  }
}
