package dev.rolesynth.llm;

import java.util.concurrent.TimeUnit;

/**
 * Monotonic time plus a way to wait, injectable so limiter and retry tests count waits instead of
 * sleeping.
 */
public interface Clock {
  long nanoTime();

  void sleepNanos(long nanos) throws InterruptedException;

  Clock SYSTEM =
      new Clock() {
        @Override
        public long nanoTime() {
          return System.nanoTime();
        }

        @Override
        public void sleepNanos(long nanos) throws InterruptedException {
          if (nanos > 0) {
            TimeUnit.NANOSECONDS.sleep(nanos);
          }
        }
      };
}
