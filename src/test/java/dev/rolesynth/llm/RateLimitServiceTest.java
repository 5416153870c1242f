package dev.rolesynth.llm;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.Test;

/** The shared budget: many clients, one schedule. Time is faked, so the arithmetic is exact. */
public class RateLimitServiceTest {
  static final String TOKEN = "test-secret-0123456789abcdef";

  @Test
  public void clientsShareOneScheduleAndCorrectionsReachIt() throws Exception {
    FakeClock serviceClock = new FakeClock();
    try (RateLimitService service = new RateLimitService("127.0.0.1", 0, serviceClock, TOKEN)) {
      String url = service.url("127.0.0.1");
      AtomicLong slept = new AtomicLong();
      Clock sleeper =
          new Clock() {
            @Override
            public long nanoTime() {
              return 0;
            }

            @Override
            public void sleepNanos(long nanos) {
              slept.addAndGet(nanos);
            }
          };
      // Two "workers" at 600/min (100 ms a permit, 1 s of burst): together, not each, they get one
      // schedule.
      RateBudget a =
          new RemoteRateBudget(OpenAiHttpBackend.root(), url, TOKEN, "requests:x", 600, sleeper);
      RateBudget b =
          new RemoteRateBudget(OpenAiHttpBackend.root(), url, TOKEN, "requests:x", 600, sleeper);
      List<Long> waits = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        waits.add((i % 2 == 0 ? a : b).acquire(1));
      }
      // Starts empty: the first goes at once, then one every 100 ms, alternating workers.
      assertEquals(
          List.of(0L, 100_000_000L, 200_000_000L, 300_000_000L, 400_000_000L, 500_000_000L), waits);
      a.adjust(-3); // three permits given back move the schedule 300 ms earlier
      assertEquals(300_000_000L, b.acquire(1));
      assertEquals(Map.of("requests:x", 4L), service.granted());
      assertTrue(slept.get() > 0);
    }
  }

  @Test
  public void anUnreachableServiceFailsTheCallInsteadOfSendingUnlimited() throws Exception {
    int port;
    try (RateLimitService service = new RateLimitService("127.0.0.1", 0, new FakeClock(), TOKEN)) {
      port = service.port();
    }
    RateBudget gone =
        new RemoteRateBudget(
            OpenAiHttpBackend.root(),
            "http://127.0.0.1:" + port,
            TOKEN,
            "requests:x",
            600,
            new FakeClock());
    try {
      gone.acquire(1);
      throw new AssertionError("acquired without a service");
    } catch (IllegalStateException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("unreachable"));
    }
  }
}
