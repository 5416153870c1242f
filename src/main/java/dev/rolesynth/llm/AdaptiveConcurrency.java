package dev.rolesynth.llm;

/**
 * A semaphore whose size follows AIMD: every 429 multiplies the limit by 0.75 (once per burst of
 * 429s, so a storm does not collapse it to one), and a run of successes as long as the limit adds
 * one, up to the configured ceiling.
 */
public final class AdaptiveConcurrency {
  private final int ceiling;
  private final Clock clock;
  private final long dampingNanos;
  private double limit;
  private int inFlight;
  private int successesSinceIncrease;
  private long lastDecreaseNanos = Long.MIN_VALUE / 2;

  /** @param ceiling the most requests in flight at once; the limit never grows past it */
  public AdaptiveConcurrency(int ceiling, Clock clock) {
    if (ceiling < 1) {
      throw new IllegalArgumentException("ceiling must be at least 1");
    }
    this.ceiling = ceiling;
    this.clock = clock;
    this.limit = ceiling;
    this.dampingNanos = 1_000_000_000L;
  }

  public synchronized void acquire() throws InterruptedException {
    try {
      while (inFlight >= (int) limit) {
        wait();
      }
    } catch (InterruptedException e) {
      notify(); // a wake-up meant for this thread goes to the next one
      throw e;
    }
    inFlight++;
  }

  /** One slot freed wakes one waiter: waking them all would spin hundreds of threads for one slot. */
  public synchronized void release() {
    inFlight--;
    notify();
  }

  public synchronized void onSuccess() {
    if (limit < ceiling && ++successesSinceIncrease >= (int) limit) {
      limit = Math.min(ceiling, limit + 1);
      successesSinceIncrease = 0;
      notify(); // the one new slot
    }
  }

  public synchronized void onRateLimited() {
    long now = clock.nanoTime();
    if (now - lastDecreaseNanos >= dampingNanos) {
      limit = Math.max(1, Math.floor(limit * 0.75));
      lastDecreaseNanos = now;
      successesSinceIncrease = 0;
    }
  }

  public synchronized int limit() {
    return (int) limit;
  }
}
