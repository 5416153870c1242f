package dev.rolesynth.llm;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code max_tokens} each stage sends. Providers that count tokens when a request arrives
 * charge the prompt plus {@code max_tokens}, so a stage that asks for 800 and answers in 120 spends
 * a token budget six times faster than it needs to. Each stage starts at its ceiling (the stage's
 * own value, or a per-stage override) and, once it has answered often enough, asks for 1.5 times
 * the longest answer it has seen; an answer cut off by the smaller limit is asked again at the
 * ceiling.
 */
public final class CompletionSizer {
  static final int MIN_SAMPLES = 20;
  static final int FLOOR = 64;
  private final Map<String, Integer> overrides;
  private final Map<String, int[]> seen = new ConcurrentHashMap<>(); // stage → {answers, longest}

  /**
   * @param overrides stage → ceiling, replacing the stage's own {@code max_tokens}
   */
  public CompletionSizer(Map<String, Integer> overrides) {
    this.overrides = Map.copyOf(overrides);
  }

  /** The most a stage's answer may take: its override, else what the stage asks for. */
  public int ceiling(ChatRequest request) {
    return overrides.getOrDefault(request.schemaName(), request.maxTokens());
  }

  /** What to send as {@code max_tokens} now. */
  public int maxTokens(ChatRequest request) {
    int ceiling = ceiling(request);
    int[] s = seen.get(request.schemaName());
    if (s == null) {
      return ceiling;
    }
    synchronized (s) {
      if (s[0] < MIN_SAMPLES) {
        return ceiling;
      }
      return Math.min(ceiling, Math.max(FLOOR, (int) Math.ceil(1.5 * s[1])));
    }
  }

  /** Records an answer's length; a cut-off answer counts as at least as long as its limit. */
  public void observe(String stage, int completionTokens, int sentMaxTokens, boolean truncated) {
    int length = truncated ? Math.max(completionTokens, sentMaxTokens) : completionTokens;
    if (length < 0) {
      return;
    }
    int[] s = seen.computeIfAbsent(stage, k -> new int[2]);
    synchronized (s) {
      s[0]++;
      s[1] = Math.max(s[1], length);
    }
  }
}
