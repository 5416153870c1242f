package dev.rolesynth.llm;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/**
 * The rate law on a fake clock: slow start, the cut on a 429, the hold, the climb back and the
 * probe.
 */
public class RateControllerTest {
  /** Requests sent so far, as the throttle counts them for the controller. */
  private long sent;

  private final FakeClock clock = new FakeClock();

  private void seconds(RateController c, int n, boolean bound) {
    for (int i = 0; i < n; i++) {
      if (bound) {
        c.bound();
      }
      clock.advanceMillis(1_000);
      c.tick();
    }
  }

  @Test
  public void aConfiguredLimitIsTheRateFromTheStart() {
    RateController c = new RateController(600, clock);
    assertEquals(600, c.perMinute(), 1e-9);
    assertEquals("--maxRequestsPerMinute", c.source());
    c.learnedLimit(300);
    assertEquals(300, c.perMinute(), 1e-9);
    assertEquals("x-ratelimit-limit-requests", c.source());
  }

  @Test
  public void withNothingKnownItStartsSlowAndSpeedsUpOnlyWhileTheRateHoldsCallsBack() {
    RateController c = new RateController(0, clock);
    assertTrue(Double.isInfinite(c.perMinute()));
    c.nothingKnown();
    assertEquals(120, c.perMinute(), 1e-9);
    seconds(c, 3, false);
    assertEquals("nobody waited: no reason to go faster", 120, c.perMinute(), 1e-9);
    seconds(c, 4, true);
    assertEquals(120 * Math.pow(1.5, 4), c.perMinute(), 1e-6);
  }

  @Test
  public void aWaitSeenBetweenTicksIsNotForgottenByTheTicksThatDoNotAct() {
    RateController c = new RateController(0, clock);
    c.nothingKnown();
    c.bound();
    clock.advanceMillis(300);
    c.tick(); // too soon to act: must not consume the wait
    clock.advanceMillis(700);
    c.tick();
    assertEquals(180, c.perMinute(), 1e-9);
  }

  @Test
  public void leavingSlowStartHalvesThenCutsToWhatGotThrough() {
    RateController c = new RateController(0, clock);
    c.nothingKnown();
    seconds(c, 4, true); // 120 × 1.5^4 ≈ 608/min
    double before = c.perMinute();
    // In the last two seconds: 3 answered, then 429s: a quarter of the window refused at the first
    // one.
    for (int i = 0; i < 3; i++) {
      c.answered();
    }
    for (int i = 0; i < 5; i++) {
      assertEquals(i == 0, c.rateLimited(sent)); // one burst of 429s lowers the rate once
    }
    assertThat(
        c.perMinute(),
        closeTo(before / 2 * (1 - 0.25) * 0.97, 1e-6)); // halved, then to what got through
    assertEquals("discovered from 429s", c.source());
  }

  @Test
  public void afterACutItHoldsThenClimbsQuicklyThenProbesSlowly() {
    RateController c = new RateController(0, clock);
    c.nothingKnown();
    seconds(c, 8, true);
    double refused = c.perMinute();
    c.answered();
    c.answered();
    c.answered();
    assertTrue(c.rateLimited(sent));
    double cut = c.perMinute();
    seconds(c, 4, true);
    assertEquals("no climb within five seconds of a 429", cut, c.perMinute(), 1e-9);
    seconds(c, 3, true);
    assertThat(c.perMinute(), greaterThan(cut * 1.1));
    double ceiling =
        refused / 2; // slow start's last step overshot: the one before it is the ceiling
    seconds(c, 60, true);
    assertThat("slow near the old ceiling", c.perMinute(), lessThan(ceiling * 1.1));
    assertThat(c.perMinute(), greaterThan(ceiling * 0.92));
  }

  @Test
  public void a429UnderAKnownLimitLowersTheRateAndItComesBackToTheLimit() {
    RateController c = new RateController(600, clock);
    for (int i = 0; i < 30; i++) {
      c.answered();
    }
    assertTrue(c.rateLimited(sent));
    // 1 refused of 31: what got through, a little below, is still above ×0.93, so ×0.93 it is.
    assertThat(c.perMinute(), closeTo(600 * 0.93, 1e-6));
    clock.advanceMillis(500);
    assertFalse("dampened: a burst is one signal", c.rateLimited(sent));
    seconds(c, 120, true);
    assertEquals(600, c.perMinute(), 1e-9);
  }

  @Test
  public void betweenTwo429sWhatWasLetThroughIsTheLimitAndItSitsJustUnderIt() {
    RateController c = new RateController(0, clock);
    // Unlimited into a 600/min provider that had saved a burst: 40 got through in the window.
    for (int i = 0; i < 40; i++) {
      sent++;
      c.answered();
    }
    sent++;
    assertTrue(c.rateLimited(sent));
    double afterFirst = c.perMinute();
    assertThat("the window counts the saved burst too", afterFirst, greaterThan(1000.0));
    // Twenty seconds at the provider's 10 a second, then its bucket is empty again. The last
    // second's three answers are still on their way at the second 429: sends count, not answers.
    for (int s = 0; s < 20; s++) {
      for (int i = 0; i < 10; i++) {
        sent++;
        if (s < 19 || i < 7) {
          c.answered();
        }
      }
      c.bound();
      clock.advanceMillis(1_000);
      c.tick();
    }
    sent++;
    assertTrue(c.rateLimited(sent));
    assertThat(
        "just under the 600/min measured between the two empty moments",
        c.perMinute(),
        closeTo(0.98 * 600, 1e-6));
    assertThat(c.perMinute(), lessThan(afterFirst));
    seconds(c, 7, true); // five seconds' hold, then ×1.01 a second up to the measured limit
    assertThat("back to the measured limit within seconds", c.perMinute(), closeTo(600, 1e-6));
    seconds(c, 10, true);
    assertThat("then only probing above it", c.perMinute(), lessThan(600 * 1.03));
  }

  @Test
  public void noMeasureUnderAKnownLimit() {
    // A known limit (configured or stated): a 429 is a neighbour or a burst rule, not the limit to
    // measure.
    RateController known = new RateController(600, clock);
    for (int i = 0; i < 30; i++) {
      known.answered();
    }
    assertTrue(known.rateLimited(sent));
    for (int s = 0; s < 20; s++) {
      for (int i = 0; i < 5; i++) {
        known.answered();
      }
      known.bound();
      clock.advanceMillis(1_000);
      known.tick();
    }
    double knownBefore = known.perMinute();
    assertTrue(known.rateLimited(sent));
    assertThat(
        known.perMinute(),
        greaterThan(0.8 * knownBefore)); // the window's cut, not 0.98 x the 300/min answered
  }
}
