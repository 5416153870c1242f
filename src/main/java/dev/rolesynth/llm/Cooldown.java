package dev.rolesynth.llm;

/**
 * A shared "do not send before" time set by 429 answers, so that one rate-limit reply pauses every
 * sender of this JVM for as long as the server asked, instead of each retrying blindly. Each
 * extension starts a new epoch, so that a sender can tell that a pause began while it waited for
 * its turn.
 */
public final class Cooldown {
  private final Clock clock;
  private long notBeforeNanos;
  private long epoch;

  public Cooldown(Clock clock) {
    this.clock = clock;
    this.notBeforeNanos = clock.nanoTime();
  }

  public synchronized void extend(long millis) {
    long until = clock.nanoTime() + millis * 1_000_000L;
    if (until > notBeforeNanos) {
      notBeforeNanos = until;
      epoch++;
    }
  }

  public synchronized long epoch() {
    return epoch;
  }

  public synchronized boolean active() {
    return notBeforeNanos - clock.nanoTime() > 0;
  }

  /** Waits until the cooldown has passed; returns the nanoseconds waited. */
  public long await() throws InterruptedException {
    long waited = 0;
    while (true) {
      long remaining;
      synchronized (this) {
        remaining = notBeforeNanos - clock.nanoTime();
      }
      if (remaining <= 0) {
        return waited;
      }
      clock.sleepNanos(remaining);
      waited += remaining;
    }
  }
}
