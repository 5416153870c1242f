package dev.rolesynth.llm;

/**
 * What one logical call cost: HTTP attempts, retries, 429s, re-asks and the tokens the server
 * billed.
 */
public final class CallStats {
  public int requests;
  public int retries;
  public int rateLimited;
  public int repairs;

  /** Answers replayed from the response cache instead of sent. */
  public int cacheHits;

  /**
   * Requests sent before (by a worker or job that died) whose answers never reached the cache: paid
   * again.
   */
  public int repeated;

  public long promptTokens;
  public long completionTokens;

  /**
   * Time spent waiting for the provider's limits: budgets, cooldowns after 429s, the first probe.
   */
  public long throttledNanos;
}
