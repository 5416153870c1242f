package dev.rolesynth.llm;

/**
 * What one successful HTTP exchange (or simulated call) returned.
 *
 * @param limits the provider's rate-limit headers on this answer ({@link LimitHeaders#NONE} when
 *     none)
 */
public record ChatResponse(
    String content,
    int promptTokens,
    int completionTokens,
    String finishReason,
    LimitHeaders limits) {

  public ChatResponse {
    limits = limits == null ? LimitHeaders.NONE : limits;
  }

  public ChatResponse(String content, int promptTokens, int completionTokens, String finishReason) {
    this(content, promptTokens, completionTokens, finishReason, LimitHeaders.NONE);
  }

  /** The model stopped because it ran out of {@code max_tokens}, not because it was done. */
  public boolean truncated() {
    return "length".equals(finishReason);
  }
}
