package dev.rolesynth.llm;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.Test;

/**
 * The first request goes alone while nothing is known of the provider's limits; whatever becomes of
 * it, the others are let go: a probe never leaves them waiting (what hung a job on a Flink cluster,
 * where correcting a budget the rate-limit service did not know yet failed inside the probe's
 * answer).
 */
public class ThrottleProbeTest {
  /** A budget whose corrections fail, as a rate-limit service out of reach does. */
  static final class Unreachable implements RateBudget {
    private final SmoothRateLimiter local;

    Unreachable(double perMinute) {
      local = new SmoothRateLimiter(perMinute, Clock.SYSTEM);
    }

    @Override
    public long acquire(long permits) throws InterruptedException {
      return local.acquire(permits);
    }

    @Override
    public void adjust(long delta) {
      throw new IllegalStateException("rate-limit service unreachable");
    }

    @Override
    public void setRate(double perMinute) {
      local.setRate(perMinute);
    }

    @Override
    public double perMinute() {
      return local.perMinute();
    }

    @Override
    public void pause(long millis) {
      throw new IllegalStateException("rate-limit service unreachable");
    }

    @Override
    public void capAvailable(double permits) {
      throw new IllegalStateException("rate-limit service unreachable");
    }
  }

  private static Throttle throttle() {
    return new Throttle(
        LlmConfig.builder("http://127.0.0.1:9/v1", "m").build(),
        Clock.SYSTEM,
        (kind, perMinute) -> new Unreachable(perMinute),
        line -> {});
  }

  private static final LimitHeaders STATED = new LimitHeaders(600, -1, 0, -1, 100, -1);

  @Test
  public void aProbeWhoseAnswerCannotBeBookedStillLetsTheOthersGo() throws Exception {
    Throttle t = throttle();
    Ticket probe = t.acquire(10, 50, 50);
    assertTrue(probe.probe());
    CompletableFuture<Ticket> next =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return t.acquire(10, 50, 50);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(200);
    assertEquals(
        "waiting for the provider's first answer (its limits are not known yet)", t.waitingFor());
    // The answer states a limit; booking what is left fails (the service is out of reach).
    assertThrows(
        IllegalStateException.class,
        () -> t.answered(probe, new ChatResponse("{}", 10, 5, "stop", STATED)));
    Ticket second = next.get(10, TimeUnit.SECONDS);
    assertNotNull(second);
    assertEquals(false, second.probe());
    assertEquals(600, t.requestsPerMinute(), 1e-9);
  }

  @Test
  public void aRefusedOrFailedProbeHandsItsTurnOn() throws Exception {
    Throttle t = throttle();
    Ticket probe = t.acquire(10, 50, 50);
    CompletableFuture<Ticket> next =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return t.acquire(10, 50, 50);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    t.failed(probe); // a timeout, a 5xx: the next request probes instead
    Ticket second = next.get(10, TimeUnit.SECONDS);
    assertTrue(second.probe());
    LlmException refused =
        new LlmException(
            LlmException.Kind.RATE_LIMITED, "http_429", "slow down", 10, false, STATED);
    assertThrows(IllegalStateException.class, () -> t.rateLimited(second, refused, 10));
    Ticket third =
        CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return t.acquire(10, 50, 50);
                  } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                  }
                })
            .get(10, TimeUnit.SECONDS);
    assertEquals(false, third.probe());
  }
}
