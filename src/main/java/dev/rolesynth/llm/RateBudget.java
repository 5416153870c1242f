package dev.rolesynth.llm;

/**
 * A per-minute budget that callers wait on before spending: in this JVM, or shared through a
 * service.
 */
public interface RateBudget {
  /**
   * Blocks until {@code permits} may be spent, then spends them. Returns the nanoseconds waited.
   */
  long acquire(long permits) throws InterruptedException;

  /** Corrects an earlier reservation by {@code delta} permits (negative gives budget back). */
  void adjust(long delta);

  /** Spends permits at a new rate from now on (a limit learned or discovered while running). */
  void setRate(double perMinute);

  double perMinute();

  /**
   * How much unspent budget may go at once after a lull, in seconds' worth (at least one permit).
   * Small while the limit is only discovered: the provider's bucket may be nearly empty after being
   * pushed.
   */
  default void setBurst(double seconds) {}

  /**
   * Grants nothing for {@code millis}, then resumes paced: the provider asked every sender to wait.
   */
  void pause(long millis);

  /**
   * Lowers the balance to {@code permits} (a reservation of N goes at once while the balance is at
   * least N), never raises it: the provider says less is left than this budget thought.
   */
  void capAvailable(double permits);
}
