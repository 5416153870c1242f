package dev.rolesynth.llm;

import java.util.function.Supplier;

/**
 * Says, every so often, when a run is slow because of rate limits rather than because of the model:
 * how long calls waited for budget, how many answers were 429s, and at what rates it is sending.
 * Also says at once the first time the provider pushes back.
 */
final class ThrottleReport {
  private final Clock clock;
  private long windowStart;
  private long waitedNanos;
  private long answered;
  private long refused;
  private boolean firstRefusalSaid;
  private String pendingFirst;

  ThrottleReport(Clock clock) {
    this.clock = clock;
    this.windowStart = clock.nanoTime();
  }

  synchronized void waited(long nanos) {
    waitedNanos += nanos;
  }

  synchronized void answered() {
    answered++;
  }

  synchronized void rateLimited(long waitMillis, String rates) {
    refused++;
    if (!firstRefusalSaid) {
      firstRefusalSaid = true;
      pendingFirst =
          "rolesynth: the provider answered 429 (retry after "
              + waitMillis
              + " ms): every sender waits, then "
              + "resumes paced at "
              + rates
              + "; no record is lost to a 429";
    }
  }

  /**
   * A line to print now, or null: the first 429 at once, then a summary per period when limits held
   * calls back.
   */
  synchronized String due(long periodNanos, Supplier<String> rates) {
    if (pendingFirst != null) {
      String line = pendingFirst;
      pendingFirst = null;
      return line;
    }
    long now = clock.nanoTime();
    long elapsed = now - windowStart;
    if (elapsed < periodNanos) {
      return null;
    }
    String line = null;
    double waitedSeconds = waitedNanos / 1e9;
    if (refused > 0 || waitedSeconds >= 1) {
      line =
          String.format(
              "rolesynth: paced by rate limits: %d answers and %d 429s in the last %d s, calls waited %.0f s "
                  + "for budget in all; sending at %s",
              answered, refused, Math.round(elapsed / 1e9), waitedSeconds, rates.get());
    }
    windowStart = now;
    waitedNanos = 0;
    answered = 0;
    refused = 0;
    return line;
  }
}
