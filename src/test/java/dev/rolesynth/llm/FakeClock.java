package dev.rolesynth.llm;

import java.util.ArrayList;
import java.util.List;

/**
 * A clock whose waits return at once and are recorded, so tests count waits instead of sleeping.
 */
public final class FakeClock implements Clock {
  private long now = 1_000_000_000L;
  private final List<Long> sleeps = new ArrayList<>();

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public synchronized void sleepNanos(long nanos) {
    if (nanos > 0) {
      sleeps.add(nanos);
      now += nanos;
    }
  }

  public synchronized void advanceMillis(long millis) {
    now += millis * 1_000_000L;
  }

  public synchronized List<Long> sleepsMillis() {
    List<Long> out = new ArrayList<>();
    sleeps.forEach(n -> out.add(n / 1_000_000L));
    return out;
  }

  public synchronized long totalSleptMillis() {
    return sleeps.stream().mapToLong(Long::longValue).sum() / 1_000_000L;
  }

  public synchronized void clearSleeps() {
    sleeps.clear();
  }
}
