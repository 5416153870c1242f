package dev.rolesynth.llm;

/**
 * A per-minute budget spent smoothly: permits are spaced evenly (generic cell rate algorithm), so a
 * limit of 600/min sends one request every 100 ms rather than 600 at the top of each minute. A small
 * burst allowance (half a second's worth, at least one permit) absorbs scheduling jitter at the
 * sender, and stays under the one second's worth a provider's bucket typically holds, so that a send
 * delayed by a few tens of milliseconds (another JVM, a GC pause, the network) does not meet an empty
 * bucket. The limiter starts empty, so a fresh job does not open with a burst either.
 *
 * <p>Reservations may be corrected afterwards ({@link #adjust}): the token limiter reserves an
 * estimate at send time and settles it against the usage the server reports.
 */
public final class SmoothRateLimiter implements RateBudget {
  private final Clock clock;
  private final double nanosPerPermit;
  private final long burstNanos;
  /** The time at which the budget is next free; permits are granted while it is at most now + burst. */
  private long theoreticalArrival;

  /** @param perMinute permits per minute, must be positive */
  public SmoothRateLimiter(double perMinute, Clock clock) {
    if (perMinute <= 0) {
      throw new IllegalArgumentException("perMinute must be positive");
    }
    this.clock = clock;
    this.nanosPerPermit = 60e9 / perMinute;
    this.burstNanos = (long) Math.max(nanosPerPermit, 0.5e9);
    // Start empty: the first permit goes at once, the next ones are already spaced.
    this.theoreticalArrival = clock.nanoTime() + burstNanos;
  }

  @Override
  public long acquire(long permits) throws InterruptedException {
    long wait = reserve(permits);
    if (wait > 0) {
      clock.sleepNanos(wait);
      return wait;
    }
    return 0;
  }

  /**
   * Spends {@code permits} now and returns how long the caller must wait before using them (0 = at
   * once). The shared service answers with this, so that the waiting happens at the caller.
   */
  public synchronized long reserve(long permits) {
    long now = clock.nanoTime();
    long sendAt = Math.max(now, theoreticalArrival - burstNanos);
    theoreticalArrival = Math.max(theoreticalArrival, sendAt) + (long) (permits * nanosPerPermit);
    return sendAt - now;
  }

  @Override
  public synchronized void adjust(long delta) {
    theoreticalArrival += (long) (delta * nanosPerPermit);
  }
}
