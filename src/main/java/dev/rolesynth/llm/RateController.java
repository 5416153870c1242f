package dev.rolesynth.llm;

import java.util.ArrayDeque;

/**
 * The request rate to send at, from what is known: a configured limit, the limit a provider states
 * in its headers (the lower of the two wins), or, where neither exists, a rate discovered from the
 * provider's 429s. Pure logic on an injectable clock; {@link Throttle} feeds it and applies its
 * rate.
 *
 * <ul>
 *   <li><b>Known limit</b>: send at it. A 429 all the same (a shared key, a stricter burst rule)
 *       lowers the rate like any 429 below, and it climbs back to the limit.
 *   <li><b>Nothing known</b> (no limit set, no headers): slow start from two requests a second,
 *       ×1.5 a second while the rate is what holds calls back, until the first 429.
 *   <li><b>On a 429</b>, at most once a second: the rate falls to what the provider let through in
 *       the last two seconds (the share that was not refused, a little below), and at least ×0.93.
 *       Leaving slow start halves it first, as the last rate was already past the limit. With no
 *       limit known, from the second 429 on, the limit is measured: what it let through since the
 *       previous 429 (the bucket was empty at both; after a lull it understates, the safe side),
 *       and the rate sits just under it, which the window's share cannot do as it counts a burst
 *       the provider had saved.
 *   <li><b>Afterwards</b>, once no 429 came for five seconds and the rate held calls back: quickly
 *       (×1.05 a second) up to near the rate that was refused (×1.01 up to a measured limit, where
 *       it then holds for two minutes: every probe past a limit costs a 429 and the provider's
 *       pause), then slowly (×1.002), probing whether the limit rose; past the old ceiling by 10 %
 *       the ceiling is forgotten.
 * </ul>
 *
 * <p>Tuned on a model of a token-bucket provider holding one second of burst and answering only
 * {@code retry-after}, and checked against the served simulator: at 600 requests/minute about 96 %
 * of the limit, slow start included, with under 0.5 % of requests refused (docs/BENCHMARKS.md has
 * the measured figures).
 */
public final class RateController {
  static final double SLOW_START_PER_MINUTE = 120;
  private static final long SECOND = 1_000_000_000L;
  private static final long WINDOW = 2 * SECOND;
  private static final long HOLD = 5 * SECOND;
  private static final long ISOLATED = 5 * SECOND;

  /** With the limit measured, how long the rate holds at it before probing above it again. */
  static final long PROBE_AFTER = 120 * SECOND;

  private final Clock clock;
  private final double configured;
  private double learned = Double.POSITIVE_INFINITY;

  /** The rate now, per minute; infinite while nothing is known and no 429 was seen. */
  private double rate;

  private boolean slowStart;
  private boolean discovered;
  private double ceiling = Double.POSITIVE_INFINITY;
  private long lastDecrease = Long.MIN_VALUE / 2;
  private long last429 = Long.MIN_VALUE / 2;
  private long lastRefusal = Long.MIN_VALUE / 2;
  private long lastTick;
  private boolean bound;
  private boolean ceilingMeasured;
  private long refusedTotal;

  /** {sent, refused} when the rate was last cut; null before the first cut. */
  private long[] atLastCut;

  private final ArrayDeque<long[]> outcomes = new ArrayDeque<>(); // {nanos, 1 = answered, 0 = 429}

  /**
   * @param configuredPerMinute the user's limit, 0 for none
   */
  public RateController(double configuredPerMinute, Clock clock) {
    this.clock = clock;
    this.configured = configuredPerMinute > 0 ? configuredPerMinute : Double.POSITIVE_INFINITY;
    this.rate = configured;
    this.lastTick = clock.nanoTime();
  }

  /** Requests per minute to send at; infinite when unlimited so far. */
  public synchronized double perMinute() {
    return rate;
  }

  public synchronized double cap() {
    return Math.min(configured, learned);
  }

  /** Where the rate comes from, for progress lines and the manifest. */
  public synchronized String source() {
    if (discovered) {
      return "discovered from 429s";
    }
    if (learned <= configured && Double.isFinite(learned)) {
      return "x-ratelimit-limit-requests";
    }
    if (Double.isFinite(configured)) {
      return "--maxRequestsPerMinute";
    }
    return slowStart ? "slow start (no limit known yet)" : "none";
  }

  /**
   * Whether the provider's bucket may still be empty from being pushed: the rate is a guess (slow
   * start or discovered from 429s) and the last 429 came within the last ten seconds.
   */
  public synchronized boolean recentlyPushed() {
    return (slowStart || discovered) && clock.nanoTime() - last429 < 2 * HOLD;
  }

  /** The provider stated its limit; the lower of it and the configured one holds. */
  public synchronized void learnedLimit(double perMinute) {
    if (!(perMinute > 0) || perMinute == learned) {
      return;
    }
    learned = perMinute;
    if (slowStart || Double.isInfinite(rate)) {
      slowStart = false;
      rate = cap();
    } else {
      rate = Math.min(rate, cap());
    }
  }

  /** The first answer came back with no limit headers and no limit is set: start slowly. */
  public synchronized void nothingKnown() {
    if (Double.isInfinite(cap()) && Double.isInfinite(rate) && !discovered) {
      slowStart = true;
      rate = SLOW_START_PER_MINUTE;
    }
  }

  public synchronized void answered() {
    record(1);
  }

  /**
   * A 429 came back with a short or whole-second wait; returns true if it lowered the rate.
   *
   * @param sent requests sent so far, the refused one included
   */
  public synchronized boolean rateLimited(long sent) {
    return rateLimited(false, sent);
  }

  /**
   * A 429 came back. {@code longWait}: the provider asked, to the millisecond, for a wait far
   * longer than one interval at this rate. Alone (no other 429 for a few seconds) that is a
   * window's reset or a moment of overload, which the pause answers and a slower rate would not, so
   * the rate stays; if 429s keep coming it is a limit well below this rate after all. Returns true
   * if the rate was lowered. {@code sent}: requests sent so far, the refused one included (what the
   * provider let through between two 429s is measured by send time).
   */
  public synchronized boolean rateLimited(boolean longWait, long sent) {
    long now = clock.nanoTime();
    record(0);
    refusedTotal++;
    boolean isolated = now - lastRefusal > ISOLATED;
    lastRefusal = now;
    if (longWait && isolated) {
      return false;
    }
    last429 = now;
    if (now - lastDecrease < SECOND) {
      return false; // one burst of 429s is one signal
    }
    long ok = outcomes.stream().filter(o -> o[1] == 1).count();
    long refused = outcomes.size() - ok;
    double before = rate;
    if (Double.isInfinite(rate)) {
      // Sending unlimited into a limit: start from what got through lately, or from slow start.
      rate = ok > 0 ? 0.9 * ok * 60e9 / WINDOW : SLOW_START_PER_MINUTE;
    } else {
      double next = slowStart ? rate / 2 : rate;
      double share = (double) refused / outcomes.size();
      next =
          outcomes.size() >= 4
              ? Math.min(next * 0.93, next * Math.max(0.5, (1 - share) * 0.97))
              : next * 0.93;
      rate = Math.max(1, next);
    }
    // The rate that was refused; in slow start, the one before it, as the last step already
    // overshot.
    ceiling = Double.isInfinite(before) ? rate / 0.9 : slowStart ? before / 2 : before;
    // Only with no limit known: under a known one a 429 is a neighbour or a burst rule, not the
    // limit.
    double measured =
        Double.isInfinite(cap()) ? measuredSinceLastCut(now, sent) : Double.POSITIVE_INFINITY;
    if (measured < ceiling) {
      // Known better than from the window: the provider's limit itself, so sit just under it.
      ceiling = measured;
      ceilingMeasured = true;
      rate = Math.max(Math.max(1, before / 2), Math.min(rate, 0.98 * measured));
    } else {
      ceilingMeasured = false;
    }
    atLastCut = new long[] {sent, refusedTotal};
    slowStart = false;
    discovered = Double.isInfinite(cap());
    lastDecrease = now;
    return true;
  }

  /**
   * The provider's rate as measured between the last cut and this one: a 429 means its bucket was
   * empty, and between two empty moments it let through exactly what it refilled, so what it let
   * through in between, per minute, is its limit (lower if it sat idle and full for a while, never
   * higher, which is the safe side). The window's share above cannot tell that: it counts a burst
   * the bucket had saved. Only over 5 s to 3 min, long enough to be a rate and recent enough to
   * hold. Counted by send time (requests sent less those refused), not by answer: an answer comes a
   * latency after its request took its share, so those in flight at the second 429 would be missed
   * (measured: 586 of 600 requests/min with answers in 250 ms).
   */
  private double measuredSinceLastCut(long now, long sent) {
    long since = now - lastDecrease;
    if (atLastCut == null || since < HOLD || since > 180 * SECOND) {
      return Double.POSITIVE_INFINITY;
    }
    long admitted = (sent - atLastCut[0]) - (refusedTotal - atLastCut[1]);
    return admitted * 60e9 / since;
  }

  /**
   * A wait given to the millisecond ({@code precise}) and much longer than one interval at the
   * current rate: not what a bucket just overdrawn by this rate asks for (about one interval).
   * Whole-second advice is too coarse to tell. {@link #rateLimited(boolean)} decides what it means.
   */
  public synchronized boolean longWait(boolean precise, long waitMillis) {
    if (!precise) {
      return false;
    }
    double interval = Double.isFinite(rate) ? 60_000.0 / rate : 0;
    return waitMillis > Math.max(250, 3 * interval);
  }

  /** A call waited on this rate: a higher one would have been used. */
  public synchronized void bound() {
    bound = true;
  }

  /**
   * Called as time passes (at most once a second acts): raises the rate if calls waited on it since
   * the last time it acted. Returns true if the rate changed.
   */
  public synchronized boolean tick() {
    long now = clock.nanoTime();
    if (now - lastTick < SECOND) {
      return false;
    }
    lastTick = now;
    boolean wasBound = bound;
    bound = false;
    if (!wasBound || Double.isInfinite(rate) || now - last429 < HOLD) {
      return false;
    }
    double before = rate;
    if (slowStart) {
      rate *= 1.5;
    } else if (rate < 0.92 * ceiling) {
      rate *= 1.05;
    } else if (ceilingMeasured && rate < ceiling) {
      rate =
          Math.min(
              ceiling, rate * 1.01); // a measured ceiling is at most the limit: back to it soon
    } else if (ceilingMeasured && now - last429 < PROBE_AFTER) {
      // at the measured limit: each probe above it costs a 429 and the provider's pause
      return false;
    } else {
      rate *= 1.002;
      if (rate > 1.1 * ceiling) {
        ceiling = Double.POSITIVE_INFINITY;
      }
    }
    rate = Math.min(rate, cap());
    return rate != before;
  }

  private void record(long kind) {
    long now = clock.nanoTime();
    outcomes.addLast(new long[] {now, kind});
    while (!outcomes.isEmpty() && now - outcomes.peekFirst()[0] > WINDOW) {
      outcomes.removeFirst();
    }
  }
}
