package dev.rolesynth.llm;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

/**
 * How long a 429 holds the other senders back: all of a wait the provider gave to the millisecond, a
 * quarter second of one it rounded up to whole seconds (the refused request itself still waits it all).
 */
public class ThrottlePauseTest {
  private static long othersWaitMillis(boolean precise) throws Exception {
    FakeClock clock = new FakeClock();
    Throttle t = new Throttle(LlmConfig.builder("http://127.0.0.1:9/v1", "m").maxRequestsPerMinute(600).build(), clock,
        (kind, perMinute) -> new SmoothRateLimiter(perMinute, clock), line -> {});
    Throttle.Ticket refused = t.acquire(10, 50, 50);
    long own = t.rateLimited(refused,
        new LlmException(LlmException.Kind.RATE_LIMITED, "http_429", "", 1000, precise, LimitHeaders.NONE), 1000);
    assertEquals("the refused request waits what the provider said", 1000, own);
    long before = clock.nanoTime();
    t.acquire(10, 50, 50);
    return (clock.nanoTime() - before) / 1_000_000L;
  }

  @Test
  public void aWaitToTheMillisecondPausesEverySenderForAllOfIt() throws Exception {
    assertEquals(1000, othersWaitMillis(true), 5);
  }

  @Test
  public void aWholeSecondRetryAfterPausesTheOthersForAQuarterSecond() throws Exception {
    // 600/min cut to 558/min after the 429: two intervals are 215 ms, under the quarter second.
    assertEquals(250, othersWaitMillis(false), 5);
  }
}
