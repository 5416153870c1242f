package dev.rolesynth.llm;

import java.io.PrintStream;
import java.lang.ref.WeakReference;
import java.text.DecimalFormat;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * How a run is going, for people watching it: LLM calls done (of those expected, where the pipeline
 * can tell), the pace per minute against the limit in force, 429s, tokens, cache hits, failures and
 * an ETA. One line redrawn in place on a terminal (progressbar, on JLine), a plain line every few
 * seconds otherwise (CI, cron, Kubernetes logs). Counts every call this JVM's clients finish, so it
 * works the same on the DirectRunner and on embedded Flink; on a cluster each TaskManager logs its
 * own.
 */
public final class CallProgress {
  CallProgress() {}

  private static final CallProgress GLOBAL = new CallProgress();

  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong rateLimited = new AtomicLong();
  private final AtomicLong tokens = new AtomicLong();
  private final AtomicLong cacheHits = new AtomicLong();
  private final AtomicLong repeated = new AtomicLong();
  private final AtomicReference<Throttle> throttle = new AtomicReference<>();

  /** The latest client, weakly: a finished job's client must not be kept by the line. */
  private final AtomicReference<WeakReference<LlmClient>> client = new AtomicReference<>();

  private ScheduledExecutorService ticker;
  private ProgressBar bar;
  private Runnable plain;
  private volatile long expected;
  private String lastPrinted = "";
  private boolean inWorker;

  public static CallProgress global() {
    return GLOBAL;
  }

  /**
   * In a Flink TaskManager (no launcher in the JVM to start it), the first client starts a plain
   * line in the TaskManager's log, counting that worker's calls.
   */
  static void startInWorker() {
    String main = System.getProperty("sun.java.command", "");
    synchronized (GLOBAL) {
      if (GLOBAL.bar == null
          && main.startsWith("org.apache.flink.runtime.taskexecutor.TaskManagerRunner")) {
        PrintStream err = System.err;
        GLOBAL.startPlain(
            "LLM calls (this TaskManager)",
            line -> err.println("rolesynth: progress " + line),
            Duration.ofSeconds(10));
        GLOBAL.inWorker = true;
      }
    }
  }

  static void stopInWorker() {
    synchronized (GLOBAL) {
      if (GLOBAL.inWorker) {
        GLOBAL.inWorker = false;
        GLOBAL.stop();
      }
    }
  }

  /** Counts one finished logical call. */
  public void record(CallOutcome o) {
    calls.incrementAndGet();
    CallStats s = o.stats();
    if (!o.ok()) {
      failed.incrementAndGet();
    }
    rateLimited.addAndGet(s.rateLimited);
    tokens.addAndGet(s.promptTokens + s.completionTokens);
    cacheHits.addAndGet(s.cacheHits);
    repeated.addAndGet(s.repeated);
  }

  /** The throttle whose pace and limit the line shows (the latest client's). */
  void watch(Throttle t) {
    throttle.set(t);
  }

  /** The client whose calls in flight and reason for its pace the line shows. */
  void watch(LlmClient c) {
    client.set(new WeakReference<>(c));
  }

  /**
   * Starts the line. {@code expectedCalls} &lt;= 0 means unknown: the line then shows no ETA.
   * {@code terminal}: redraw in place; otherwise {@code plain} gets a line every {@code every}.
   */
  public synchronized void start(
      String task,
      long expectedCalls,
      boolean terminal,
      PrintStream err,
      Consumer<String> plain,
      Duration every) {
    if (!terminal) {
      startPlain(task, expectedCalls, plain, every);
      return;
    }
    stop();
    resetCounts();
    expected = expectedCalls;
    ProgressBarBuilder b =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(expectedCalls > 0 ? expectedCalls : -1)
            .setUnit(" calls", 1)
            .showSpeed(new DecimalFormat("#,##0"))
            .setSpeedUnit(ChronoUnit.MINUTES)
            .setStyle(ProgressBarStyle.ASCII)
            .continuousUpdate();
    if (expectedCalls <= 0) {
      b.hideEta();
    }
    b.setConsumer(new ConsoleProgressBarConsumer(err)).setUpdateIntervalMillis(1000);
    bar = b.build();
    ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "rolesynth-progress");
              t.setDaemon(true);
              return t;
            });
    ticker.scheduleAtFixedRate(this::tick, 500, 500, TimeUnit.MILLISECONDS);
  }

  /**
   * A plain line every {@code every}, without the progressbar library: its timer thread is static
   * and never ends, so on a TaskManager it would keep each finished job's class loader alive; and a
   * log wants each line once, with the last one printed once when the line stops.
   */
  synchronized void startPlain(
      String task, long expectedCalls, Consumer<String> out, Duration every) {
    stop();
    resetCounts();
    expected = expectedCalls;
    long t0 = System.nanoTime();
    plain =
        () -> {
          String line = plainLine(task, System.nanoTime() - t0);
          String counts = changeKey();
          if (!counts.equals(lastPrinted)) { // a quiet stretch is one line, not one every tick
            lastPrinted = counts;
            out.accept(line);
          }
        };
    ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "rolesynth-progress");
              t.setDaemon(true);
              return t;
            });
    ticker.scheduleAtFixedRate(plain, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  synchronized void startPlain(String task, Consumer<String> out, Duration every) {
    startPlain(task, 0, out, every);
  }

  /**
   * The job succeeded: what was done is all there was (the expected count is an upper bound:
   * filters and dead letters end records early), so the line's last word is 100 %.
   */
  public synchronized void finish() {
    if (expected > 0) {
      expected = calls.get();
      if (bar != null) {
        bar.maxHint(Math.max(1, calls.get()));
      }
    }
  }

  /**
   * E.g. "LLM calls 35/36 calls (97%) (0:00:04, ETA 0:00:01) 525 calls/min · 0 429s · 26.7k tokens
   * · 0 cached · 0 failed".
   */
  String plainLine(String task, long elapsedNanos) {
    long s = elapsedNanos / 1_000_000_000L;
    long done = calls.get();
    long perMinute = elapsedNanos > 0 ? Math.round(done * 60e9 / elapsedNanos) : 0;
    String time = String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    if (expected > 0) {
      long left = Math.max(0, expected - done);
      String eta = done == 0 ? "?" : clock(left * s / done);
      return String.format(
          Locale.ROOT,
          "%s %d/%d calls (%d%%) (%s, ETA %s) %,d calls/min%s",
          task,
          done,
          expected,
          Math.min(100, done * 100 / expected),
          time,
          eta,
          perMinute,
          extra());
    }
    return String.format(
        Locale.ROOT, "%s %d calls (%s) %,d calls/min%s", task, done, time, perMinute, extra());
  }

  /**
   * What a new line must differ in: the counts and the kind of wait, not the clock, the rate or the
   * latency, which move on their own while nothing happens (a finished job's rate keeps falling).
   */
  private String changeKey() {
    WeakReference<LlmClient> ref = client.get();
    LlmClient c = ref == null ? null : ref.get();
    String pace = c == null ? "" : c.pace();
    int cut = pace.indexOf(" (");
    return calls.get()
        + "/"
        + expected
        + " "
        + failed.get()
        + " "
        + rateLimited.get()
        + " "
        + tokens.get()
        + " "
        + cacheHits.get()
        + " "
        + repeated.get()
        + " "
        + (cut < 0 ? pace : pace.substring(0, cut));
  }

  private static String clock(long s) {
    return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
  }

  private synchronized void tick() {
    if (bar != null) {
      bar.stepTo(calls.get());
      bar.setExtraMessage(extra());
    }
  }

  /** The counts after the bar: limit, 429s, tokens, cache hits, failures. */
  String extra() {
    StringBuilder s = new StringBuilder(" · ");
    Throttle t = throttle.get();
    if (calls.get() == 0 && t == null) {
      s.append(
          "starting the job (no call yet) · "); // Flink deploys its tasks before the first call
    }
    if (t != null && Double.isFinite(t.requestsPerMinute())) {
      s.append("limit ")
          .append(Math.round(t.requestsPerMinute()))
          .append("/min (")
          .append(t.requestLimitSource())
          .append(") · ");
    }
    WeakReference<LlmClient> ref = client.get();
    LlmClient c = ref == null ? null : ref.get();
    if (c != null && (calls.get() > 0 || c.outstanding() > 0)) {
      s.append(c.pace()).append(" · ");
    }
    s.append(rateLimited.get())
        .append(" 429s · ")
        .append(human(tokens.get()))
        .append(" tokens · ")
        .append(cacheHits.get())
        .append(" cached · ")
        .append(failed.get())
        .append(" failed");
    if (repeated.get() > 0) {
      s.append(" · ").append(repeated.get()).append(" paid again after a failure");
    }
    return s.toString();
  }

  static String human(long n) {
    return n >= 1_000_000
        ? String.format("%.1fM", n / 1e6)
        : n >= 1_000 ? String.format("%.1fk", n / 1e3) : Long.toString(n);
  }

  private void resetCounts() {
    calls.set(0);
    failed.set(0);
    rateLimited.set(0);
    tokens.set(0);
    cacheHits.set(0);
    repeated.set(0);
  }

  public synchronized void stop() {
    if (ticker != null) {
      ticker.shutdownNow();
      ticker = null;
    }
    if (plain != null) {
      plain.run(); // the final count, unless the last line already said it
      plain = null;
      lastPrinted = "";
    }
    if (bar != null) {
      bar.stepTo(calls.get());
      bar.setExtraMessage(extra());
      bar.close();
      bar = null;
    }
  }
}
