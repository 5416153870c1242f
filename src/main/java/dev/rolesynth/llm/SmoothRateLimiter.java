package dev.rolesynth.llm;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A per-minute budget spent smoothly: permits are spaced evenly (generic cell rate algorithm), so a
 * limit of 600/min sends one request every 100 ms rather than 600 at the top of each minute. A
 * small burst allowance (half a second's worth, at least one permit) absorbs scheduling jitter at
 * the sender, and stays under the one second's worth a provider's bucket typically holds, so that a
 * send delayed by a few tens of milliseconds (another JVM, a GC pause, the network) does not meet
 * an empty bucket. The limiter starts empty, so a fresh job does not open with a burst either.
 *
 * <p>The rate may change while it runs (limits learned from a provider's headers, or discovered
 * from its 429s), a pause may hold every permit back (a provider's {@code retry-after}) after which
 * permits are spaced again rather than released at once, and what is available may be lowered to
 * what the provider says is left (other users of the same key). Reservations may be corrected
 * afterwards ({@link #adjust}): the token limiter reserves an estimate at send time and settles it
 * later.
 */
public final class SmoothRateLimiter implements RateBudget {
  private final Clock clock;
  private double perMinute;
  private double nanosPerPermit;
  private long burstNanos;
  private double burstSeconds = 0.5;

  /**
   * The time at which the budget is next free; permits are granted while it is at most now + burst.
   */
  private long theoreticalArrival;

  /**
   * Fair: a new caller cannot barge past one woken to take the head, so the line is strictly FIFO.
   */
  private final ReentrantLock queue = new ReentrantLock(true);

  private final Condition nextInLine = queue.newCondition();

  /** Whether a caller is watching the clock for the next booking; the others wait in line. */
  private boolean headTaken;

  /**
   * @param perMinute permits per minute, must be positive and finite
   */
  public SmoothRateLimiter(double perMinute, Clock clock) {
    this.clock = clock;
    setRate(perMinute);
    // Start empty: one permit goes at once, the next ones are already spaced.
    this.theoreticalArrival = clock.nanoTime() + burstNanos - (long) nanosPerPermit;
  }

  /**
   * Waits for {@code permits}. A caller books its turn only once the turn is near (within a quarter
   * of a second, or one grant of this size), so that when the rate changes (a limit learned, a rate
   * raised in slow start or cut after a 429) the callers still queued are spaced at the new rate,
   * not the old. Callers not yet booked queue in order and only the first of them watches the
   * clock: hundreds polling it together woke every few milliseconds each and spent more kernel time
   * than the calls.
   */
  @Override
  public long acquire(long permits) throws InterruptedException {
    queue.lockInterruptibly();
    try {
      while (headTaken) {
        nextInLine.await(); // FIFO: the longest waiting is woken first
      }
      headTaken = true;
    } finally {
      queue.unlock();
    }
    long waited = 0;
    long wait;
    try {
      while (true) {
        boolean booked;
        synchronized (this) {
          long horizon = Math.max(250_000_000L, (long) (permits * nanosPerPermit));
          long now = clock.nanoTime();
          long until = Math.max(now, earliest(permits)) - now;
          booked = until <= horizon;
          // Near: book the turn, and let the next caller look. Not near yet: look again then.
          wait = booked ? reserve(permits) : until - horizon;
        }
        if (booked) {
          break;
        }
        clock.sleepNanos(wait);
        waited += wait;
      }
    } finally {
      queue.lock();
      try {
        headTaken = false;
        nextInLine.signal();
      } finally {
        queue.unlock();
      }
    }
    if (wait > 0) {
      clock.sleepNanos(wait);
      waited += wait;
    }
    return waited;
  }

  /**
   * Spends {@code permits} now and returns how long the caller must wait before using them (0 = at
   * once). The shared service answers with this, so that the waiting happens at the caller.
   */
  public synchronized long reserve(long permits) {
    long now = clock.nanoTime();
    long sendAt = Math.max(now, earliest(permits));
    theoreticalArrival = Math.max(theoreticalArrival, sendAt) + (long) (permits * nanosPerPermit);
    return sendAt - now;
  }

  /**
   * When {@code permits} fit: once the bucket holds them, or, for a grant larger than the burst,
   * once it is full (the grant then leaves it in debt). So a lull never lets more than the burst go
   * at once, however large the grants (a token budget's are hundreds of permits).
   */
  private long earliest(long permits) {
    return theoreticalArrival
        - burstNanos
        + Math.min((long) (permits * nanosPerPermit), burstNanos);
  }

  @Override
  public synchronized void adjust(long delta) {
    theoreticalArrival += (long) (delta * nanosPerPermit);
  }

  @Override
  public synchronized void setRate(double perMinute) {
    if (!(perMinute > 0) || Double.isInfinite(perMinute)) {
      throw new IllegalArgumentException("perMinute must be positive and finite, got " + perMinute);
    }
    // What is already booked keeps its times; permits from now on are spaced at the new rate.
    this.perMinute = perMinute;
    this.nanosPerPermit = 60e9 / perMinute;
    this.burstNanos = (long) Math.max(nanosPerPermit, burstSeconds * 1e9);
  }

  @Override
  public synchronized void setBurst(double seconds) {
    this.burstSeconds = seconds;
    this.burstNanos = (long) Math.max(nanosPerPermit, seconds * 1e9);
  }

  @Override
  public synchronized double perMinute() {
    return perMinute;
  }

  @Override
  public synchronized void pause(long millis) {
    long until = clock.nanoTime() + millis * 1_000_000L;
    // No permit before the pause ends, and no burst saved up during it: one goes at its end.
    theoreticalArrival = Math.max(theoreticalArrival, until + burstNanos - (long) nanosPerPermit);
  }

  @Override
  public synchronized void capAvailable(double permits) {
    long cappedArrival = clock.nanoTime() + burstNanos - (long) (permits * nanosPerPermit);
    theoreticalArrival = Math.max(theoreticalArrival, cappedArrival);
  }

  /**
   * The balance in permits: a reservation of N goes at once while it is at least N (or the bucket
   * is full); negative means callers are already queued.
   */
  public synchronized double available() {
    return Math.min(burstNanos, clock.nanoTime() + burstNanos - theoreticalArrival)
        / nanosPerPermit;
  }
}
