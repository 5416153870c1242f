package dev.rolesynth.llm;

/**
 * A per-minute budget spent smoothly: permits are spaced evenly (generic cell rate algorithm), so a
 * limit of 600/min sends one request every 100 ms rather than 600 at the top of each minute. A small
 * burst allowance (one second's worth, at least one permit) absorbs scheduling jitter. The limiter
 * starts empty, so a fresh job does not open with a burst either.
 *
 * <p>Reservations may be corrected afterwards ({@link #adjust}): the token limiter reserves an
 * estimate at send time and settles it against the usage the server reports.
 */
public final class SmoothRateLimiter {
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
    this.burstNanos = (long) Math.max(nanosPerPermit, 1e9);
    // Start empty: the first permit goes at once, the next ones are already spaced.
    this.theoreticalArrival = clock.nanoTime() + burstNanos;
  }

  /** Blocks until {@code permits} may be spent, then spends them. Returns the nanoseconds waited. */
  public long acquire(long permits) throws InterruptedException {
    long wait;
    synchronized (this) {
      long now = clock.nanoTime();
      long sendAt = Math.max(now, theoreticalArrival - burstNanos);
      theoreticalArrival = Math.max(theoreticalArrival, sendAt) + (long) (permits * nanosPerPermit);
      wait = sendAt - now;
    }
    if (wait > 0) {
      clock.sleepNanos(wait);
      return wait;
    }
    return 0;
  }

  /** Corrects an earlier reservation by {@code delta} permits (negative gives budget back). */
  public synchronized void adjust(long delta) {
    theoreticalArrival += (long) (delta * nanosPerPermit);
  }
}
