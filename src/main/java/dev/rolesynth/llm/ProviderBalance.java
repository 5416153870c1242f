package dev.rolesynth.llm;

/** What a provider's limit headers say is left, brought to now and less a headroom for its other users. */
final class ProviderBalance {
  /**
   * Share of the provider's bucket left untouched when syncing to its remaining counts: room for the
   * other users' requests that arrive while this JVM's information is one answer old. It costs nothing
   * while the bucket refills at the limit; measured against a client spending a third of the key, 0.7
   * gave 0.7 % refusals where 0.5 gave 1.2 %.
   */
  static final double HEADROOM = 0.7;

  private ProviderBalance() {}

  /** The most a budget's balance can be: half a second's worth, at least one permit. */
  static double full(RateBudget b) {
    return Math.max(1, b.perMinute() / 120.0);
  }

  /**
   * What the provider will have left now, less the headroom: what it reported when this request
   * arrived, minus what this JVM sent since, plus what refilled since; the bucket's size is what is
   * left plus what the reset time refills.
   */
  static double left(double remaining, long resetMillis, double perSecond, long sentSince, long elapsedNanos) {
    double capacity = resetMillis >= 0 ? remaining + perSecond * resetMillis / 1000.0 : remaining;
    double now = Math.min(capacity, remaining - sentSince + perSecond * elapsedNanos / 1e9);
    // At worst a second's wait: a neighbour that never leaves room must not starve this job.
    return Math.max(now - HEADROOM * capacity, -perSecond);
  }
}
