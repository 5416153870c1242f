package dev.rolesynth.llm;

/**
 * What one reservation took, so that the answer can correct it: per token budget (tokens, input,
 * output) what was reserved and the budget's sequence after it. Issued by {@link Throttle#acquire}.
 */
public record Ticket(
    long sentNanos,
    long requestSeq,
    long[] reserved,
    long[] seqs,
    long promptEstimate,
    int maxTokens,
    boolean probe,
    long waitedNanos,
    String stage) {
  /** Tokens reserved in the combined budget (prompt plus completion). */
  public long tokens() {
    return reserved[0];
  }
}
