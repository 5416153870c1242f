package dev.rolesynth.llm;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How far this client's prompt-token estimates run from what the provider counts (1 = exact), so
 * that token reservations match the provider's count: one ratio for all, and one per stage.
 */
final class PromptRatios {
  private double all = 1.0;

  /**
   * A stage's prompts differ from another's in what the estimate misses (the answer schema, which
   * the provider does not count as prompt, and the share of non-English text), and once stages run
   * side by side one mixed ratio would under-reserve some of them into 429s.
   */
  private final Map<String, Double> byStage = new ConcurrentHashMap<>();

  /** The provider counted {@code counted} tokens for a prompt estimated at {@code estimate}. */
  void counted(String stage, long counted, long estimate) {
    if (counted <= 0 || estimate <= 0) {
      return;
    }
    double ratio = counted / (double) estimate;
    synchronized (this) {
      all = 0.8 * all + 0.2 * ratio;
    }
    if (stage != null) {
      byStage.merge(stage, ratio, (old, now) -> 0.8 * old + 0.2 * now);
    }
  }

  synchronized double all() {
    return all;
  }

  /** The stage's own ratio once one of its prompts was counted, else the ratio of all. */
  double of(String stage) {
    Double r = stage == null ? null : byStage.get(stage);
    return r != null ? r : all();
  }
}
