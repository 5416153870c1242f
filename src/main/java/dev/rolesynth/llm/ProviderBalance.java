package dev.rolesynth.llm;

/**
 * What a provider's limit headers say is left, brought to now and less a headroom for its other
 * users.
 */
final class ProviderBalance {
  /**
   * Share of the provider's bucket left untouched when syncing to its remaining counts: room for
   * the other users' requests that arrive while this JVM's information is one answer old. It costs
   * nothing while the bucket refills at the limit; measured against a client spending a third of
   * the key, 0.7 gave 0.7 % refusals where 0.5 gave 1.2 %.
   */
  static final double HEADROOM = 0.7;

  /**
   * Requests of this client's own size the bucket must still hold above the headroom: the next one
   * and one more for sends that arrive late. A headroom does not lower the rate while the bucket
   * refills at the limit (it keeps the bucket's level up, once), as long as the next request fits
   * above it. A one-second token bucket (2,500 tokens at 150,000 a minute) holds three of Ditto's
   * 800-token requests: 70 % left less than one and every sync meant a second's wait (98.1 % of the
   * limit). Three (rather than two) cut into the 70 % of a bucket of ten requests (600 a minute)
   * whenever its size read a little under ten, and a shared key met 8 429s in 1,059 instead of 0-5.
   */
  static final double OWN_REQUESTS = 2;

  private ProviderBalance() {}

  /** The most a budget's balance can be: half a second's worth, at least one permit. */
  private static double full(RateBudget b) {
    return Math.max(1, b.perMinute() / 120.0);
  }

  /**
   * What the provider will have left now, less the headroom: what it reported when this request
   * arrived, minus what this JVM sent since, plus what refilled since; the bucket's size is what is
   * left plus what the reset time refills. {@code perRequest} is what one request of this client
   * spends of it (1 for a request count, its tokens for a token limit).
   */
  static double left(
      double remaining,
      long resetMillis,
      double perSecond,
      double perRequest,
      long sentSince,
      long elapsedNanos) {
    double capacity = resetMillis >= 0 ? remaining + perSecond * resetMillis / 1000.0 : remaining;
    double now = Math.min(capacity, remaining - sentSince + perSecond * elapsedNanos / 1e9);
    double headroom =
        Math.max(
            0, Math.min(HEADROOM * capacity, capacity - OWN_REQUESTS * Math.max(perRequest, 1)));
    // At worst a second's wait: a neighbour that never leaves room must not starve this job.
    return Math.max(now - headroom, -perSecond);
  }

  /**
   * Lowers {@code b} to what the provider will have left (see {@link #left}) when that is lower.
   */
  static void sync(
      RateBudget b,
      double remaining,
      long resetMillis,
      double perSecond,
      double perRequest,
      long sentSince,
      long elapsedNanos) {
    double balance = left(remaining, resetMillis, perSecond, perRequest, sentSince, elapsedNanos);
    if (balance < full(b)) { // otherwise it could lower nothing (and a shared budget costs a call)
      b.capAvailable(balance);
    }
  }
}
