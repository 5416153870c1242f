package dev.rolesynth.llm;

/** A per-minute budget that callers wait on before spending: in this JVM, or shared through a service. */
public interface RateBudget {
  /** Blocks until {@code permits} may be spent, then spends them. Returns the nanoseconds waited. */
  long acquire(long permits) throws InterruptedException;

  /** Corrects an earlier reservation by {@code delta} permits (negative gives budget back). */
  void adjust(long delta);
}
