package dev.rolesynth.llm;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.Test;

public class CallProgressTest {
  private static CallOutcome outcome(boolean ok, int rateLimited, int cacheHits) {
    CallStats s = new CallStats();
    s.rateLimited = rateLimited;
    s.cacheHits = cacheHits;
    s.promptTokens = 1500;
    s.completionTokens = 500;
    return ok
        ? new CallOutcome("{}", null, null, s)
        : new CallOutcome(
            null,
            null,
            new LlmException(LlmException.Kind.values()[1], "http_500", "server error"),
            s);
  }

  @Test
  public void aLogGetsPlainLinesWithCallsOfExpectedAnd429sTokensCacheAndFailures()
      throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    CallProgress p = new CallProgress();
    p.start(
        "LLM calls",
        10,
        false,
        new PrintStream(new ByteArrayOutputStream()),
        lines::add,
        Duration.ofMillis(100));
    p.record(outcome(true, 2, 0));
    p.record(outcome(true, 0, 1));
    p.record(outcome(false, 1, 0));
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (lines.stream().noneMatch(l -> l.contains("3/10")) && System.nanoTime() < deadline) {
      Thread.sleep(50); // waits for the reporter's next line; nothing is timed
    }
    p.stop();
    String last = lines.get(lines.size() - 1);
    assertThat(last, containsString("3/10 calls"));
    assertThat(last, containsString("(30%)"));
    assertThat(last, containsString("3 429s · 6.0k tokens · 1 cached · 1 failed"));
    assertEquals("each line once: " + lines, lines.stream().distinct().count(), lines.size());
  }

  @Test
  public void aFinishedJobEndsAtOneHundredPercentOnceAndAnUnstartedOneSaysWhy() {
    List<String> lines = new CopyOnWriteArrayList<>();
    CallProgress p = new CallProgress();
    p.start(
        "LLM calls",
        36,
        false,
        new PrintStream(new ByteArrayOutputStream()),
        lines::add,
        Duration.ofHours(1));
    assertThat(
        p.plainLine("LLM calls", 5_000_000_000L),
        containsString("0/36 calls (0%) (0:00:05, ETA ?) 0 calls/min · starting the job"));
    for (int i = 0; i < 35; i++) {
      p.record(outcome(true, 0, 0));
    }
    assertThat(
        p.plainLine("LLM calls", 4_000_000_000L),
        containsString("35/36 calls (97%) (0:00:04, ETA 0:00:00) 525 calls/min"));
    p.finish(); // one record was filtered: fewer calls than the estimate
    p.stop();
    assertEquals(1, lines.size());
    assertThat(lines.get(0), containsString("35/35 calls (100%)"));
    assertThat(lines.get(0), org.hamcrest.Matchers.not(containsString("starting the job")));
  }

  /**
   * A TaskManager's line: no progressbar library, whose static timer thread would outlive the job.
   */
  @Test
  public void aWorkersPlainLineCountsWithoutTheProgressBarLibrary() {
    List<String> lines = new CopyOnWriteArrayList<>();
    CallProgress p = new CallProgress();
    p.startPlain("LLM calls (this TaskManager)", lines::add, Duration.ofHours(1));
    p.record(outcome(true, 2, 0));
    p.record(outcome(false, 0, 1));
    assertThat(
        p.plainLine("LLM calls (this TaskManager)", 61_000_000_000L),
        containsString(
            "LLM calls (this TaskManager) 2 calls (0:01:01) 2 calls/min · 2 429s · 4.0k tokens · 1 cached · 1 failed"));
    p.stop(); // the final count, at once
    assertEquals(1, lines.size());
    assertThat(lines.get(0), containsString("2 calls"));
  }

  /** A finished job's rate keeps falling with the clock; that alone is not news worth a line. */
  @Test
  public void linesStopWhenTheCountsStopThoughTheRateKeepsFalling() throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    CallProgress p = new CallProgress();
    p.start(
        "LLM calls",
        2,
        false,
        new PrintStream(new ByteArrayOutputStream()),
        lines::add,
        Duration.ofMillis(20));
    p.record(outcome(true, 0, 0));
    p.record(outcome(true, 0, 0));
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (lines.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20); // waits for the first line; nothing is timed
    }
    Thread.sleep(1_100); // some fifty ticks, across a whole second of the clock
    p.stop();
    assertEquals(lines.toString(), 1, lines.size());
  }
}
