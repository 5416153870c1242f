package dev.rolesynth.llm;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Paces the requests of one endpoint so that the provider is never flooded, whether or not its
 * limits are known. Every answer's rate-limit headers are read: stated limits are adopted (the
 * lower of them and any configured one holds), and the budgets are brought down to what the
 * provider says is left, which accounts for other users of the same key. Without headers the rate
 * is discovered from 429s ({@link RateController}). A 429 pauses every sender for as long as the
 * provider asked, after which they resume paced at the rate, never all at once. Tokens are reserved
 * as the provider counts them: the prompt (scaled by what the provider reported for earlier prompts
 * of the same stage) plus {@code max_tokens}, or the expected completion for providers that count
 * usage only. Before anything is known, one request goes out alone ({@link FirstAnswerProbe}).
 */
public final class Throttle {
  private static final long REPORT_EVERY_NANOS = 30_000_000_000L;

  /**
   * Makes a budget for {@code kind} ("requests" or "tokens"): in this JVM or at the job's service.
   */
  public interface Budgets {
    RateBudget create(String kind, double perMinute);
  }

  private final Clock clock;
  private final Budgets budgets;
  private final Consumer<String> log;
  private final boolean usageAccounting;
  private final RateController requests;
  private final TokenLimits tokenLimits;
  private final Cooldown cooldown;
  private final FirstAnswerProbe probe;
  private volatile RateBudget requestBudget;
  private final PromptRatios promptRatios = new PromptRatios();
  private final AtomicLong requestSeq = new AtomicLong();
  private final AtomicInteger waiting = new AtomicInteger();
  private final ThrottleReport report;

  public Throttle(LlmConfig config, Clock clock, Budgets budgets, Consumer<String> log) {
    this.clock = clock;
    this.budgets = budgets;
    this.log = log;
    this.usageAccounting = config.tokenAccounting() == LlmConfig.TokenAccounting.USAGE;
    this.requests = new RateController(config.maxRequestsPerMinute(), clock);
    this.tokenLimits = new TokenLimits(config.maxTokensPerMinute(), budgets);
    this.cooldown = new Cooldown(clock);
    this.report = new ThrottleReport(clock);
    // A configured limit is something known: no probe, and the budgets exist from the start.
    this.probe =
        new FirstAnswerProbe(config.maxRequestsPerMinute() > 0 || config.maxTokensPerMinute() > 0);
    applyRates();
  }

  /**
   * Waits until a request of this size may go: the provider's cooldown, the probe while nothing is
   * known, the request budget, then the token budget.
   */
  public Ticket acquire(long promptEstimate, int maxTokens, double expectedCompletion)
      throws InterruptedException {
    return acquire(null, promptEstimate, maxTokens, expectedCompletion);
  }

  /**
   * @param stage the request's stage (its schema's name), whose prompts are estimated alike; or
   *     null
   */
  public Ticket acquire(String stage, long promptEstimate, int maxTokens, double expectedCompletion)
      throws InterruptedException {
    waiting.incrementAndGet();
    try {
      return waitForTurn(stage, promptEstimate, maxTokens, expectedCompletion);
    } finally {
      waiting.decrementAndGet();
    }
  }

  private Ticket waitForTurn(
      String stage, long promptEstimate, int maxTokens, double expectedCompletion)
      throws InterruptedException {
    long start = clock.nanoTime();
    boolean probing = probe.await();
    while (true) {
      cooldown.await();
      long epoch = cooldown.epoch();
      if (requests.tick()) {
        applyRates();
      }
      RateBudget rb = requestBudget;
      long waited = 0;
      if (rb != null) {
        waited += rb.acquire(1);
        if (waited > 0) {
          requests.bound();
        }
        // Also here, not only on entry: calls already queued would otherwise hold the rate where it
        // was.
        if (requests.tick()) {
          applyRates();
        }
        // Just after a push, one request at a time: after a lull (between stages, say) half a
        // second's
        // worth at once would meet a bucket the push emptied. Otherwise half a second's worth may
        // go.
        rb.setBurst(requests.recentlyPushed() ? 0 : 0.5);
      }
      long prompt = Math.round(promptEstimate * promptRatio(stage));
      long[] reserved = {
        prompt + (usageAccounting ? Math.round(expectedCompletion) : maxTokens), prompt, maxTokens
      };
      long[] seqs = new long[3];
      waited += tokenLimits.reserve(reserved, seqs);
      if (cooldown.epoch() != epoch && cooldown.active()) {
        // The provider pushed back while this request waited its turn: give the turn back, queue
        // again.
        if (rb != null) {
          rb.adjust(-1);
        }
        tokenLimits.refund(reserved);
        continue;
      }
      report.waited(waited);
      long now = clock.nanoTime();
      return new Ticket(
          now,
          requestSeq.incrementAndGet(),
          reserved,
          seqs,
          promptEstimate,
          maxTokens,
          probing,
          now - start,
          stage);
    }
  }

  /** The answer came: learn from its headers and settle the token reservation. */
  public void answered(Ticket t, ChatResponse r) {
    try {
      requests.answered();
      learn(t, r.limits());
      promptRatios.counted(t.stage(), r.promptTokens(), t.promptEstimate());
      long prompt =
          r.promptTokens() >= 0
              ? r.promptTokens()
              : Math.round(t.promptEstimate() * promptRatio(t.stage()));
      long completion = Math.max(0, r.completionTokens());
      tokenLimits.settle(
          t.reserved(),
          new long[] {
            prompt + (usageAccounting ? completion : t.maxTokens()),
            prompt,
            r.completionTokens() >= 0 ? completion : t.maxTokens()
          });
      report.answered();
    } finally {
      // Whatever failed above (a budget service out of reach), the others must not wait on the
      // probe.
      endProbe(t);
    }
    maybeReport();
  }

  /**
   * A 429: pause every sender for as long as the provider asked (a second when it said nothing),
   * lower the rate, and return the pause in milliseconds.
   */
  public long rateLimited(Ticket t, LlmException e, long fallbackMillis) {
    long wait = e.retryAfterMillis() >= 0 ? e.retryAfterMillis() : fallbackMillis;
    try {
      learn(t, e.limits());
      if (!tokenLimits.refusedFor(e.limits(), t.reserved())) {
        requests.rateLimited(requests.longWait(e.retryAfterPrecise(), wait), requestSeq.get());
        applyRates();
      }
      cooldown.extend(wait);
      RateBudget rb = requestBudget;
      if (rb != null) {
        rb.adjust(-1); // the refused request cost the provider nothing
        rb.pause(wait);
      }
      tokenLimits.refund(t.reserved());
      tokenLimits.pause(wait);
      report.rateLimited(wait, rateLine());
    } finally {
      endProbe(t);
    }
    maybeReport();
    return wait;
  }

  /** Any other failure: the reservation is given back. */
  public void failed(Ticket t) {
    tokenLimits.refund(t.reserved());
    probe.failed(t.probe());
  }

  /** Calls waiting for their turn (the cooldown, the probe or a budget) right now. */
  public int waiting() {
    return waiting.get();
  }

  /**
   * Why calls wait right now, for the progress line, or null when none does: for the provider's
   * first answer (nothing known of its limits yet), for a 429's pause to end, or for the rate
   * budget.
   */
  public String waitingFor() {
    if (probe.waiting() > 0) {
      return "waiting for the provider's first answer (its limits are not known yet)";
    }
    if (waiting.get() == 0) {
      return null;
    }
    return cooldown.active() ? "paused: the provider answered 429" : "limit-bound";
  }

  /**
   * Requests per second the limits in force let through: the request rate, or what the token rate
   * allows at the tokens requests reserve lately, whichever is lower; NaN while neither is known.
   */
  public double requestsPerSecondInForce() {
    double rate = Math.min(requests.perMinute() / 60.0, tokenLimits.requestsPerSecond());
    return Double.isFinite(rate) ? rate : Double.NaN;
  }

  /** Requests per minute being sent at (infinite when unlimited). */
  public double requestsPerMinute() {
    return requests.perMinute();
  }

  /**
   * Tokens per minute being reserved against (infinite when unlimited): the combined limit's, else
   * the input one's.
   */
  public double tokensPerMinute() {
    return tokenLimits.perMinute();
  }

  /** Whether any token limit is in force, so that requests are worth sizing by the answers seen. */
  public boolean tokenLimited() {
    return tokenLimits.limited();
  }

  public String requestLimitSource() {
    return requests.source();
  }

  /** How far reserved tokens run ahead of what the provider counts for prompts (1 = exact). */
  public double promptRatio() {
    return promptRatios.all();
  }

  double promptRatio(String stage) {
    return promptRatios.of(stage);
  }

  private void endProbe(Ticket t) {
    if (probe.answered(t.probe())) {
      if (Double.isInfinite(requests.perMinute())
          && Double.isInfinite(requests.cap())
          && !tokenLimited()) {
        requests.nothingKnown();
        applyRates();
        log.accept(
            "rolesynth: no rate limit is set and the provider states none in its headers: starting at "
                + Math.round(requests.perMinute())
                + " requests/min and speeding up until it pushes back "
                + "(set --maxRequestsPerMinute to skip this)");
      }
    }
  }

  /** Adopts stated limits and brings the budgets down to what the provider says is left. */
  private void learn(Ticket t, LimitHeaders h) {
    if (h == null || !h.any()) {
      return;
    }
    boolean changed = false;
    if (h.limitRequests() > 0 && h.limitRequests() < requests.cap() - 1e-9) {
      requests.learnedLimit(h.limitRequests());
      changed = true;
    }
    changed |= tokenLimits.learn(h);
    if (changed) {
      applyRates();
      log.accept(
          "rolesynth: the provider states its limits in its headers: "
              + rateLine()
              + "; sending within them");
    }
    long now = clock.nanoTime();
    RateBudget rb = requestBudget;
    if (rb != null && h.remainingRequests() >= 0) {
      double perSecond = Math.min(requests.cap(), rb.perMinute()) / 60.0;
      if (Double.isInfinite(perSecond)) {
        perSecond = rb.perMinute() / 60.0;
      }
      ProviderBalance.sync(
          rb,
          h.remainingRequests(),
          h.resetRequestsMillis(),
          perSecond,
          1,
          requestSeq.get() - t.requestSeq(),
          now - t.sentNanos());
    }
    tokenLimits.sync(h, t.seqs(), now - t.sentNanos());
  }

  /** Creates or re-rates the budgets to the rates now known. */
  private synchronized void applyRates() {
    double rpm = requests.perMinute();
    if (Double.isFinite(rpm)) {
      if (requestBudget == null) {
        requestBudget = budgets.create("requests", rpm);
      } else if (Math.abs(requestBudget.perMinute() - rpm) > 1e-9) {
        requestBudget.setRate(rpm);
      }
    }
  }

  String rateLine() {
    double rpm = requests.perMinute();
    String line =
        Double.isFinite(rpm)
            ? Math.round(rpm) + " requests/min (" + requests.source() + ")"
            : "requests unlimited";
    return line + tokenLimits.describe();
  }

  private void maybeReport() {
    String line = report.due(REPORT_EVERY_NANOS, this::rateLine);
    if (line != null) {
      log.accept(line);
    }
  }
}
