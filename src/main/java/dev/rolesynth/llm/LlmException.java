package dev.rolesynth.llm;

/**
 * A failed LLM call. {@link Kind} drives the retry policy (after Beam's RequestResponseIO
 * taxonomy): rate limits wait as told, transient faults back off and repeat, everything else fails
 * at once. Messages never contain credentials: the HTTP backend scrubs them before constructing
 * one.
 */
public class LlmException extends Exception {
  public enum Kind {
    /** 429: wait for the server's reset time, shrink concurrency, then repeat. */
    RATE_LIMITED,
    /** 5xx, timeouts, dropped connections, malformed bodies: back off with jitter and repeat. */
    TRANSIENT,
    /** Other 4xx, bad configuration: never repeated. */
    PERMANENT,
    /** The model kept answering with content that fails validation. */
    INVALID_OUTPUT
  }

  private final Kind kind;
  private final String reason;
  private final long retryAfterMillis;
  private final boolean retryAfterPrecise;
  private final LimitHeaders limits;

  public LlmException(
      Kind kind,
      String reason,
      String detail,
      long retryAfterMillis,
      boolean retryAfterPrecise,
      LimitHeaders limits) {
    super(reason + (detail == null || detail.isEmpty() ? "" : ": " + detail));
    this.kind = kind;
    this.reason = reason;
    this.retryAfterMillis = retryAfterMillis;
    this.retryAfterPrecise = retryAfterPrecise;
    this.limits = limits == null ? LimitHeaders.NONE : limits;
  }

  public LlmException(Kind kind, String reason, String detail, long retryAfterMillis) {
    this(kind, reason, detail, retryAfterMillis, false, LimitHeaders.NONE);
  }

  public LlmException(Kind kind, String reason, String detail) {
    this(kind, reason, detail, -1);
  }

  public Kind kind() {
    return kind;
  }

  /** Short machine-readable reason such as {@code http_503} or {@code schema_invalid}. */
  public String reason() {
    return reason;
  }

  /** Server-advised wait for a 429, or -1 when the server said nothing. */
  public long retryAfterMillis() {
    return retryAfterMillis;
  }

  /**
   * Whether the server gave the wait to the millisecond ({@code retry-after-ms}, a fractional
   * {@code retry-after}, a reset time) rather than in whole seconds or as a date.
   */
  public boolean retryAfterPrecise() {
    return retryAfterPrecise;
  }

  /** The rate-limit headers of the answer that failed (a 429's remaining and reset, for one). */
  public LimitHeaders limits() {
    return limits;
  }
}
