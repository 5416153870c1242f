package dev.rolesynth.llm;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class SmoothRateLimiterTest {
  @Test
  public void spacesPermitsEvenlyWithoutAnOpeningBurst() throws Exception {
    FakeClock clock = new FakeClock();
    SmoothRateLimiter limiter = new SmoothRateLimiter(600, clock); // one every 100 ms
    long start = clock.nanoTime();
    for (int i = 0; i < 50; i++) {
      limiter.acquire(1);
    }
    // 50 permits take 49 intervals: no minute's worth at once, no burst of a second's worth either.
    assertEquals(4_900, (clock.nanoTime() - start) / 1_000_000);
    assertEquals(49, clock.sleepsMillis().size());
    assertTrue(clock.sleepsMillis().stream().allMatch(ms -> ms == 100));
  }

  @Test
  public void idleTimeBuysAtMostOneSecondOfBurst() throws Exception {
    FakeClock clock = new FakeClock();
    SmoothRateLimiter limiter = new SmoothRateLimiter(600, clock);
    limiter.acquire(1);
    clock.advanceMillis(60_000); // a long idle spell
    clock.clearSleeps();
    for (int i = 0; i < 30; i++) {
      limiter.acquire(1);
    }
    // 6 go at once (half a second's worth, plus the one due now); the other 24 are spaced.
    assertEquals(2_400, clock.totalSleptMillis());
  }

  @Test
  public void refundsAndDebtsMoveTheNextPermit() throws Exception {
    FakeClock clock = new FakeClock();
    SmoothRateLimiter tokens = new SmoothRateLimiter(60_000, clock); // 1,000 tokens a second
    tokens.acquire(1_000);
    tokens.adjust(3_000); // the server reported 3,000 more than reserved
    clock.clearSleeps();
    tokens.acquire(1);
    assertEquals(4_000, clock.totalSleptMillis(), 2);

    FakeClock clock2 = new FakeClock();
    SmoothRateLimiter refunded = new SmoothRateLimiter(60_000, clock2);
    refunded.acquire(5_000);
    refunded.adjust(-5_000); // nothing was used after all
    clock2.clearSleeps();
    refunded.acquire(1);
    assertEquals(0, clock2.totalSleptMillis());
  }
}
