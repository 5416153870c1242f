package dev.rolesynth.llm;

import java.util.TreeMap;
import java.util.function.DoubleSupplier;

/**
 * How many requests one JVM keeps open at once. Where a rate is in force (configured, stated in the
 * provider's headers, or discovered from its 429s), Little's law sizes it: requests per second
 * times the seconds an answer takes, with a quarter to spare so that slow answers never leave the
 * rate unused. So a paid key stays busy whether answers take 200 ms or a minute, with no option to
 * set. The latency is what answers took lately, or, while the oldest open request has been out
 * longer than that (answers got slower, or none came back yet), that request's age. A 429 cuts the
 * limit by a quarter (once a burst: a provider that limits concurrency says so with 429s) and
 * successes bring it back. The cap bounds it: {@code --maxConcurrentRequests}, or a default the
 * heap can hold.
 *
 * <p>Without a rate (the simulator, a local engine) the limit starts at the cap and follows AIMD. A
 * paced endpoint whose rate is not known yet (its first answer is still out) gets {@link #EXTRA}
 * slots.
 *
 * <p>A slot is held from {@link #acquire} to {@link #release}: through the wait for the rate budget
 * and the request itself. Waits are bounded slices, so a changed size is seen within a quarter
 * second.
 */
public final class InFlightLimit {
  static final double SPARE = 1.25;
  static final int EXTRA = 8;

  /** Weight of the newest answer in the latency average (about the last 50 answers count). */
  static final double ALPHA = 0.02;

  private static final long SLICE_MILLIS = 250;

  private final int cap;
  private final Clock clock;
  private final DoubleSupplier requestsPerSecond;
  private final boolean paced;
  private int openCount;
  private final TreeMap<Long, Integer> open =
      new TreeMap<>(); // send time -> requests sent then, still open
  private double factor = 1.0;
  private double aimd;
  private int inUse;
  private int successes;
  private double latencyNanos = -1;
  private long lastDecrease = Long.MIN_VALUE / 2;

  /**
   * @param cap the most slots ever, at least 1
   * @param requestsPerSecond the rate in force; not finite or not positive when none is
   * @param paced whether a rate will be in force (a paid endpoint) rather than none ever (a local
   *     engine)
   */
  public InFlightLimit(int cap, Clock clock, DoubleSupplier requestsPerSecond, boolean paced) {
    if (cap < 1) {
      throw new IllegalArgumentException("cap must be at least 1");
    }
    this.cap = cap;
    this.clock = clock;
    this.requestsPerSecond = requestsPerSecond;
    this.paced = paced;
    this.aimd = cap;
  }

  /** A default cap the heap holds: about 200 KB of heap per open request, between 64 and 5,000. */
  public static int defaultCap(long maxHeapBytes) {
    return (int) Math.max(64, Math.min(5_000, maxHeapBytes / (200L << 10)));
  }

  /** Takes a slot, waiting while all are in use. */
  public synchronized void acquire() throws InterruptedException {
    while (inUse >= limit()) {
      wait(SLICE_MILLIS); // the limit may have grown meanwhile (a request aged, the rate rose)
    }
    inUse++;
  }

  /** The request of a held slot goes out now; returns its send time for {@link #answered}. */
  public synchronized long sending() {
    long now = clock.nanoTime();
    open.merge(now, 1, Integer::sum);
    openCount++;
    return now;
  }

  /**
   * The request sent at {@code sentNanos} came back; {@code answer}: with an answer, whose time
   * counts.
   */
  public synchronized void returned(long sentNanos, boolean answer) {
    Integer n = open.get(sentNanos);
    if (n != null) {
      if (n > 1) {
        open.put(sentNanos, n - 1);
      } else {
        open.remove(sentNanos);
      }
      openCount--;
    }
    if (answer) {
      double took = clock.nanoTime() - sentNanos;
      latencyNanos = latencyNanos < 0 ? took : (1 - ALPHA) * latencyNanos + ALPHA * took;
      if (++successes >= Math.max(1, (int) limit())) {
        successes = 0;
        factor = Math.min(1, factor / 0.9);
        aimd = Math.min(cap, aimd + 1);
      }
    }
  }

  /**
   * Gives the slot back, to one waiter: waking them all on every answer cost a thousand calls in
   * flight more kernel time than their requests. A waiter that finds the limit lowered meanwhile
   * leaves the slot to the next slice.
   */
  public synchronized void release() {
    inUse--;
    notify();
  }

  /** A 429: a quarter fewer slots, once per second's burst. */
  public synchronized void onRateLimited() {
    long now = clock.nanoTime();
    if (now - lastDecrease >= 1_000_000_000L) {
      lastDecrease = now;
      successes = 0;
      factor = Math.max(0.05, factor * 0.75);
      aimd = Math.max(1, Math.floor(aimd * 0.75));
    }
  }

  /**
   * The slots now: rate × latency × {@link #SPARE} + {@link #EXTRA}, cut after 429s, within the
   * cap.
   */
  public synchronized double limit() {
    double rate = requestsPerSecond.getAsDouble();
    if (!(rate > 0) || Double.isInfinite(rate)) {
      return paced ? Math.min(cap, EXTRA) : aimd;
    }
    double sized = Math.ceil(rate * latencySeconds() * SPARE) + EXTRA;
    return Math.max(1, Math.min(cap, Math.floor(sized * factor)));
  }

  /**
   * What an answer takes now, in seconds: the recent average, or the oldest open request's age if
   * longer.
   */
  public synchronized double latencySeconds() {
    double oldest = open.isEmpty() ? 0 : clock.nanoTime() - open.firstKey();
    return Math.max(Math.max(0, latencyNanos), oldest) / 1e9;
  }

  /** Slots held (waiting for the rate budget or with a request out). */
  public synchronized int inUse() {
    return inUse;
  }

  /** Requests out at the provider now. */
  public synchronized int open() {
    return openCount;
  }

  public int cap() {
    return cap;
  }
}
