package dev.rolesynth.llm;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * While nothing is known of a provider's limits (none configured, no answer yet), one request goes
 * out alone and the others wait for its answer, so that a first burst cannot meet a limit nobody
 * knew. The wait is in slices and ends however the probe ends: answered, refused, or failed (then
 * the next request probes instead).
 */
final class FirstAnswerProbe {
  private static final long SLICE_MILLIS = 1_000;
  private final Semaphore turn = new Semaphore(1);
  private final AtomicInteger waiting = new AtomicInteger();
  private volatile boolean known;

  FirstAnswerProbe(boolean known) {
    this.known = known;
  }

  boolean known() {
    return known;
  }

  /** Calls waiting for the first answer right now. */
  int waiting() {
    return waiting.get();
  }

  /** Waits until something is known or this caller's turn to probe; true when it is to probe. */
  boolean await() throws InterruptedException {
    if (known) {
      return false;
    }
    boolean acquired = false;
    waiting.incrementAndGet();
    try {
      while (!known && !(acquired = turn.tryAcquire(SLICE_MILLIS, TimeUnit.MILLISECONDS))) {
        continue; // the probe's own call is bounded by its timeout
      }
    } finally {
      waiting.decrementAndGet();
    }
    boolean probing = acquired && !known;
    if (acquired && !probing) {
      turn.release(); // the probe ended meanwhile: nothing left to probe
    }
    return probing;
  }

  /**
   * The provider answered (or refused): its limits are as known as they will get. Returns true the
   * first time, when the caller decides what to do without limits.
   */
  boolean answered(boolean wasProbe) {
    boolean first = !known;
    known = true;
    if (wasProbe) {
      turn.release(Integer.MAX_VALUE / 2); // everyone waiting on the probe may go
    }
    return first;
  }

  /** The probe failed without an answer: the next request probes instead. */
  void failed(boolean wasProbe) {
    if (wasProbe) {
      turn.release();
    }
  }
}
