package dev.rolesynth.llm;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
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
    // 5 go at once (half a second's worth); the other 25 are spaced.
    assertEquals(2_500, clock.totalSleptMillis());
  }

  @Test
  public void refundsAndDebtsMoveTheNextPermit() throws Exception {
    FakeClock clock = new FakeClock();
    SmoothRateLimiter tokens = new SmoothRateLimiter(60_000, clock); // 1,000 tokens a second
    tokens.acquire(
        1_000); // larger than the half-second burst: waits until the (empty) bucket is full
    tokens.adjust(3_000); // the server reported 3,000 more than reserved
    tokens.acquire(1);
    // 1,000 granted plus 3,000 of debt: the next token comes four seconds after the start.
    assertEquals(4_000, clock.totalSleptMillis(), 2);

    FakeClock clock2 = new FakeClock();
    SmoothRateLimiter refunded = new SmoothRateLimiter(60_000, clock2);
    refunded.acquire(5_000);
    refunded.adjust(-5_000); // nothing was used after all
    clock2.clearSleeps();
    refunded.acquire(1);
    assertEquals(0, clock2.totalSleptMillis());
  }

  @Test
  public void queuedCallersBookTheirTurnOnlyWhenItIsNearSoARateChangeReachesThem()
      throws Exception {
    SmoothRateLimiter limiter = new SmoothRateLimiter(60, Clock.SYSTEM); // one a second
    List<Thread> callers = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Thread t =
          new Thread(
              () -> {
                try {
                  limiter.acquire(1);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      t.start();
      callers.add(t);
    }
    long deadline = System.currentTimeMillis() + 10_000;
    // Waiting: the first at the clock (timed), the others in line behind it.
    while (callers.stream()
                .filter(
                    t ->
                        t.getState() == Thread.State.TIMED_WAITING
                            || t.getState() == Thread.State.WAITING)
                .count()
            < 19
        && System.currentTimeMillis() < deadline) {
      Thread.onSpinWait();
    }
    // Twenty callers wait, but at most the next second's turns are booked, not twenty seconds of
    // them.
    assertTrue("booked " + -limiter.available() + " turns ahead", limiter.available() > -2.5);
    limiter.setRate(60_000); // the provider's real limit became known
    for (Thread t : callers) {
      t.join(10_000);
      assertTrue("a queued caller still waits at the old rate", !t.isAlive());
    }
  }

  @Test
  public void callersQueuedForTheBudgetWaitInLineAndOnlyTheFirstWatchesTheClock() throws Exception {
    AtomicInteger sleeps = new AtomicInteger();
    Clock counting =
        new Clock() {
          @Override
          public long nanoTime() {
            return System.nanoTime();
          }

          @Override
          public void sleepNanos(long nanos) throws InterruptedException {
            sleeps.incrementAndGet();
            Clock.SYSTEM.sleepNanos(nanos);
          }
        };
    SmoothRateLimiter limiter = new SmoothRateLimiter(6_000, counting); // one every 10 ms
    int callers =
        100; // a second of budget: most wait beyond the quarter second a booking looks ahead
    List<Long> order = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      Thread t =
          new Thread(
              () -> {
                try {
                  limiter.acquire(1);
                  order.add(System.nanoTime());
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join(10_000);
    }
    assertEquals(callers, order.size());
    // A caller sleeps at most twice: once at the head of the line until its turn is near, once
    // after
    // booking it. Callers polling the clock together slept again every millisecond or so each.
    assertTrue(sleeps.get() + " sleeps for " + callers + " callers", sleeps.get() <= 2 * callers);
  }
}
