package dev.rolesynth.llm;

import java.io.Serializable;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.function.Function;

/**
 * What one answer's headers say about the provider's limits: per minute, what is left, and how long
 * until the bucket is full again. Read from every answer, 200 and 429 alike; -1 where absent.
 *
 * <ul>
 *   <li>OpenAI's names, which vLLM gateways, Azure, Groq and others copy: {@code
 *       x-ratelimit-{limit,remaining,reset}-{requests,tokens}}, resets as durations ({@code 6m0s}).
 *   <li>Anthropic's: {@code
 *       anthropic-ratelimit-{requests,input-tokens,output-tokens}-{limit,remaining,reset}}, resets
 *       as RFC 3339 times; input and output tokens are separate budgets. Its {@code
 *       anthropic-ratelimit-tokens-*} (the tighter of the two) is read as a combined limit only
 *       when the separate ones are absent.
 * </ul>
 */
public record LimitHeaders(
    double limitRequests,
    double limitTokens,
    double remainingRequests,
    double remainingTokens,
    long resetRequestsMillis,
    long resetTokensMillis,
    double limitInputTokens,
    double remainingInputTokens,
    long resetInputTokensMillis,
    double limitOutputTokens,
    double remainingOutputTokens,
    long resetOutputTokensMillis)
    implements Serializable {

  public static final LimitHeaders NONE = new LimitHeaders(-1, -1, -1, -1, -1, -1);

  /** OpenAI's six: requests and combined tokens. */
  public LimitHeaders(
      double limitRequests,
      double limitTokens,
      double remainingRequests,
      double remainingTokens,
      long resetRequestsMillis,
      long resetTokensMillis) {
    this(
        limitRequests,
        limitTokens,
        remainingRequests,
        remainingTokens,
        resetRequestsMillis,
        resetTokensMillis,
        -1,
        -1,
        -1,
        -1,
        -1,
        -1);
  }

  /**
   * @param header looks a header up by (case-insensitive) name, null when absent
   */
  public static LimitHeaders parse(Function<String, String> header) {
    return parse(header, Instant.now());
  }

  static LimitHeaders parse(Function<String, String> header, Instant now) {
    LimitHeaders h;
    if (header.apply("anthropic-ratelimit-requests-limit") != null
        || header.apply("anthropic-ratelimit-input-tokens-limit") != null
        || header.apply("anthropic-ratelimit-tokens-limit") != null) {
      String a = "anthropic-ratelimit-";
      boolean split =
          header.apply(a + "input-tokens-limit") != null
              || header.apply(a + "output-tokens-limit") != null;
      h =
          new LimitHeaders(
              number(header.apply(a + "requests-limit")),
              split ? -1 : number(header.apply(a + "tokens-limit")),
              number(header.apply(a + "requests-remaining")),
              split ? -1 : number(header.apply(a + "tokens-remaining")),
              until(header.apply(a + "requests-reset"), now),
              split ? -1 : until(header.apply(a + "tokens-reset"), now),
              number(header.apply(a + "input-tokens-limit")),
              number(header.apply(a + "input-tokens-remaining")),
              until(header.apply(a + "input-tokens-reset"), now),
              number(header.apply(a + "output-tokens-limit")),
              number(header.apply(a + "output-tokens-remaining")),
              until(header.apply(a + "output-tokens-reset"), now));
    } else {
      h =
          new LimitHeaders(
              number(header.apply("x-ratelimit-limit-requests")),
                  number(header.apply("x-ratelimit-limit-tokens")),
              number(header.apply("x-ratelimit-remaining-requests")),
                  number(header.apply("x-ratelimit-remaining-tokens")),
              duration(header.apply("x-ratelimit-reset-requests")),
                  duration(header.apply("x-ratelimit-reset-tokens")));
    }
    return h.any() ? h : NONE;
  }

  public boolean any() {
    return limitRequests > 0
        || limitTokens > 0
        || remainingRequests >= 0
        || remainingTokens >= 0
        || resetRequestsMillis >= 0
        || resetTokensMillis >= 0
        || limitInputTokens > 0
        || limitOutputTokens > 0
        || remainingInputTokens >= 0
        || remainingOutputTokens >= 0;
  }

  private static double number(String v) {
    if (v == null) {
      return -1;
    }
    try {
      double d = Double.parseDouble(v.trim());
      return Double.isFinite(d) && d >= 0 ? d : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static long duration(String v) {
    return v == null ? -1 : OpenAiHttpBackend.parseDuration(v);
  }

  /**
   * Milliseconds from {@code now} to an RFC 3339 time (0 if it has passed), -1 when absent or
   * unreadable.
   */
  private static long until(String v, Instant now) {
    if (v == null) {
      return -1;
    }
    try {
      return Math.max(0, Instant.parse(v.trim()).toEpochMilli() - now.toEpochMilli());
    } catch (DateTimeParseException e) {
      return -1;
    }
  }
}
