package dev.rolesynth.llm;

import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads a client's calls run on: as many as the calls in flight may be, and some to wait on
 * the rate budget; calls beyond them wait in the queue, not as parked threads. Small stacks: an
 * HTTP call and its retries are shallow, so thousands of threads stay cheap.
 */
final class CallThreads {
  /** Threads beyond the in-flight limit, for calls waiting on the rate budget or backing off. */
  static final int BEYOND_SLOTS = 64;

  private static final long STACK_BYTES = 512L << 10;
  private static final long SHRINK_EVERY_NANOS = 30_000_000_000L;

  private final InFlightLimit concurrency;
  private final ThreadPoolExecutor pool;
  private volatile long lastShrink = System.nanoTime();

  CallThreads(InFlightLimit concurrency) {
    this.concurrency = concurrency;
    AtomicInteger n = new AtomicInteger();
    this.pool =
        new ThreadPoolExecutor(
            BEYOND_SLOTS,
            BEYOND_SLOTS,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(null, r, "llm-call-" + n.incrementAndGet(), STACK_BYTES);
              t.setDaemon(true);
              return t;
            });
    this.pool.allowCoreThreadTimeOut(true);
    fit();
  }

  /** Runs {@code task}, fitting the threads to the limit before and after it. */
  Future<?> submit(Runnable task) {
    fit();
    return pool.submit(
        () -> {
          try {
            task.run();
          } finally {
            fit();
          }
        });
  }

  /**
   * Grows the threads to the in-flight limit, plus some for calls waiting on a budget, at once;
   * shrinks them at most every half minute. Each shrink interrupts every idle thread, and a limit
   * that moves with the latency would do that on most calls (profiled: a tenth of the CPU at a
   * thousand in flight); idle threads end on their own after 30 s anyway.
   */
  private void fit() {
    int want = (int) Math.min(concurrency.cap(), concurrency.limit()) + BEYOND_SLOTS;
    int have = pool.getCorePoolSize();
    long now = System.nanoTime();
    boolean shrink = want < have * 0.8 && now - lastShrink > SHRINK_EVERY_NANOS;
    if (want > have || shrink) {
      synchronized (pool) {
        if (shrink) {
          lastShrink = now;
        }
        if (want > pool.getMaximumPoolSize()) {
          pool.setMaximumPoolSize(want);
          pool.setCorePoolSize(want);
        } else {
          pool.setCorePoolSize(want);
          pool.setMaximumPoolSize(want);
        }
      }
    }
  }

  boolean terminated() {
    return pool.isTerminated();
  }

  void shutdownNow() {
    pool.shutdownNow();
  }
}
