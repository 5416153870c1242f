package dev.rolesynth.llm;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

public class AdaptiveConcurrencyTest {
  @Test
  public void shrinksOncePerBurstOf429sAndGrowsBackSlowly() {
    FakeClock clock = new FakeClock();
    AdaptiveConcurrency c = new AdaptiveConcurrency(16, clock);
    c.onRateLimited();
    c.onRateLimited(); // same burst: damped
    c.onRateLimited();
    assertEquals(12, c.limit());
    clock.advanceMillis(1_500);
    c.onRateLimited();
    assertEquals(9, c.limit());
    for (int i = 0; i < 9; i++) {
      c.onSuccess();
    }
    assertEquals(10, c.limit());
    for (int i = 0; i < 1_000; i++) {
      c.onSuccess();
    }
    assertEquals(16, c.limit()); // never past the ceiling
  }

  @Test
  public void neverDropsBelowOne() {
    FakeClock clock = new FakeClock();
    AdaptiveConcurrency c = new AdaptiveConcurrency(2, clock);
    for (int i = 0; i < 10; i++) {
      c.onRateLimited();
      clock.advanceMillis(2_000);
    }
    assertEquals(1, c.limit());
  }
}
