package dev.rolesynth.llm;

import java.io.Serializable;
import java.util.function.Function;

/**
 * What one answer's headers say about the provider's limits (OpenAI's names, which vLLM gateways,
 * Azure, Groq and others copy): the limits per minute, what is left of them, and how long until the
 * bucket is full again. Read from every answer, 200 and 429 alike; -1 where a header is absent.
 */
public record LimitHeaders(
    double limitRequests, double limitTokens, double remainingRequests, double remainingTokens,
    long resetRequestsMillis, long resetTokensMillis) implements Serializable {

  public static final LimitHeaders NONE = new LimitHeaders(-1, -1, -1, -1, -1, -1);

  /** @param header looks a header up by (case-insensitive) name, null when absent */
  public static LimitHeaders parse(Function<String, String> header) {
    LimitHeaders h = new LimitHeaders(
        number(header.apply("x-ratelimit-limit-requests")), number(header.apply("x-ratelimit-limit-tokens")),
        number(header.apply("x-ratelimit-remaining-requests")), number(header.apply("x-ratelimit-remaining-tokens")),
        duration(header.apply("x-ratelimit-reset-requests")), duration(header.apply("x-ratelimit-reset-tokens")));
    return h.any() ? h : NONE;
  }

  public boolean any() {
    return limitRequests > 0 || limitTokens > 0 || remainingRequests >= 0 || remainingTokens >= 0
        || resetRequestsMillis >= 0 || resetTokensMillis >= 0;
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
}
