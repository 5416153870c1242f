package dev.rolesynth.llm;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.Test;

/** Calls in flight sized by Little's law from the rate in force and the latency observed. */
public class InFlightLimitTest {
  private final FakeClock clock = new FakeClock();
  private final AtomicReference<Double> rate = new AtomicReference<>(100.0); // requests per second

  private InFlightLimit limit(int cap) {
    return new InFlightLimit(cap, clock, rate::get, true);
  }

  /** n answers that each took {@code millis}. */
  private void answers(InFlightLimit l, int n, long millis) {
    for (int i = 0; i < n; i++) {
      long sent = l.sending();
      clock.advanceMillis(millis);
      l.returned(sent, true);
      clock.advanceMillis(-millis);
    }
  }

  @Test
  public void slotsAreTheRateTimesTheLatencyWithAQuarterToSpare() {
    InFlightLimit l = limit(5_000);
    answers(l, 500, 5_000);
    // 100 requests/s × 5 s = 500 needed; × 1.25 + 8.
    assertEquals(633, l.limit(), 0);
    rate.set(25.0); // the provider's limit fell (a 429, or its headers)
    assertEquals(165, l.limit(), 0);
  }

  @Test
  public void slotsFollowTheLatencyUpAndDown() {
    InFlightLimit l = limit(5_000);
    answers(l, 500, 2_000);
    double quick = l.limit();
    assertEquals(258, quick, 0);
    answers(l, 500, 30_000); // a reasoning model: answers take half a minute
    assertTrue("grew with the latency: " + l.limit(), l.limit() > 3_500);
    answers(l, 500, 500);
    assertTrue("shrank as answers sped up: " + l.limit(), l.limit() < 100);
  }

  @Test
  public void beforeAnyAnswerTheOldestOpenRequestsAgeCounts() {
    InFlightLimit l = limit(5_000);
    assertEquals(InFlightLimit.EXTRA, l.limit(), 0);
    l.sending();
    clock.advanceMillis(4_000); // four seconds and no answer yet: answers take at least that
    assertEquals(508, l.limit(), 0);
    answers(l, 500, 1_000);
    clock.advanceMillis(26_000); // the first request is still out after 30 s: latency grew
    assertTrue(l.limit() > 3_000);
  }

  @Test
  public void a429CutsAQuarterOncePerBurstAndSuccessesBringItBack() {
    InFlightLimit l = limit(5_000);
    answers(l, 500, 5_000);
    l.onRateLimited();
    l.onRateLimited(); // the same burst
    assertEquals(Math.floor(633 * 0.75), l.limit(), 0);
    clock.advanceMillis(1_500);
    l.onRateLimited();
    assertEquals(Math.floor(633 * 0.75 * 0.75), l.limit(), 0);
    answers(l, 5_000, 5_000);
    assertEquals(633, l.limit(), 0);
  }

  @Test
  public void theCapBoundsItAndARateNotYetKnownGivesAFewSlots() {
    InFlightLimit l = limit(64);
    answers(l, 500, 5_000);
    assertEquals(64, l.limit(), 0);
    // no answer yet from a paced endpoint: the probe goes alone, a few wait behind it
    rate.set(Double.NaN);
    assertEquals(InFlightLimit.EXTRA, l.limit(), 0);
    InFlightLimit local = new InFlightLimit(16, clock, () -> Double.NaN, false);
    assertEquals(16, local.limit(), 0); // a local engine: AIMD from the cap
    local.onRateLimited();
    assertEquals(12, local.limit(), 0);
  }

  @Test
  public void theDefaultCapIsWhatTheHeapHolds() {
    assertEquals(5_000, InFlightLimit.defaultCap(1L << 30));
    assertEquals(1_310, InFlightLimit.defaultCap(256L << 20));
    assertEquals(64, InFlightLimit.defaultCap(8L << 20));
  }

  @Test
  public void acquireWaitsForASlotAndReleaseFreesIt() throws Exception {
    InFlightLimit l = new InFlightLimit(2, clock, () -> Double.NaN, false);
    l.acquire();
    l.acquire();
    assertEquals(2, l.inUse());
    Thread t =
        new Thread(
            () -> {
              try {
                l.acquire();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    t.start();
    t.join(300);
    assertTrue("a third waits while both are in use", t.isAlive());
    l.release();
    t.join(5_000);
    assertEquals(2, l.inUse());
  }
}
