package dev.rolesynth.llm;

/**
 * A shared "do not send before" time set by 429 answers, so that one rate-limit reply pauses every
 * sender of this JVM for as long as the server asked, instead of each retrying blindly.
 */
public final class Cooldown {
  private final Clock clock;
  private long notBeforeNanos;

  public Cooldown(Clock clock) {
    this.clock = clock;
    this.notBeforeNanos = clock.nanoTime();
  }

  public synchronized void extend(long millis) {
    notBeforeNanos = Math.max(notBeforeNanos, clock.nanoTime() + millis * 1_000_000L);
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
