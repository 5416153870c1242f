package dev.rolesynth.llm;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One token limit of a provider and the budget paced within it: OpenAI's tokens per minute (prompt
 * plus {@code max_tokens}, or plus what was generated for providers that count usage), or
 * Anthropic's separate input and output tokens per minute (output estimated as {@code max_tokens}
 * when a request goes and settled to what was generated, as Anthropic does). The limit in force is
 * the lower of a configured one and the one the provider states; the budget exists only once a
 * limit is known.
 */
final class TokenBudget {
  /** What a request is charged in this budget. */
  enum Kind {
    TOKENS,
    INPUT,
    OUTPUT
  }

  final Kind kind;
  private final double configured;
  private final Throttle.Budgets budgets;
  private double learned = Double.POSITIVE_INFINITY;
  private volatile RateBudget budget;
  private final AtomicLong seq = new AtomicLong();

  /** What a request reserves here, on average lately: how many requests the limit lets through. */
  private volatile double perRequest = -1;

  TokenBudget(Kind kind, double configuredPerMinute, Throttle.Budgets budgets) {
    this.kind = kind;
    this.configured = configuredPerMinute > 0 ? configuredPerMinute : Double.POSITIVE_INFINITY;
    this.budgets = budgets;
    apply();
  }

  /** Tokens per minute in force; infinite while none is known. */
  synchronized double perMinute() {
    return Math.min(configured, learned);
  }

  boolean known() {
    return budget != null;
  }

  /** Where the limit comes from, for progress lines. */
  synchronized String source() {
    return learned <= configured ? "stated by the provider" : "configured";
  }

  /** Adopts a limit the provider states; returns true when it changes the limit in force. */
  synchronized boolean learn(double limit) {
    if (!(limit > 0) || Math.abs(limit - learned) < 1e-9) {
      return false;
    }
    boolean changes = limit < configured || learned < configured;
    learned = limit;
    apply();
    return changes;
  }

  /** Waits until {@code tokens} may go and spends them; returns {waited nanos, sequence after}. */
  long[] reserve(long tokens) throws InterruptedException {
    RateBudget b = budget;
    if (b == null) {
      return new long[] {0, seq.get()};
    }
    double before = perRequest;
    perRequest = before < 0 ? tokens : 0.95 * before + 0.05 * tokens;
    long waited = b.acquire(tokens);
    return new long[] {waited, seq.addAndGet(tokens)};
  }

  /** A reservation of {@code reserved} is corrected to what the provider charged. */
  void settle(long reserved, long charged) {
    RateBudget b = budget;
    if (b != null && reserved > 0) {
      b.adjust(charged - reserved);
    }
  }

  /** A reservation the provider did not charge (a refusal, a failure) is given back. */
  void refund(long reserved) {
    RateBudget b = budget;
    if (b != null && reserved != 0) {
      b.adjust(-reserved);
    }
  }

  void pause(long millis) {
    RateBudget b = budget;
    if (b != null) {
      b.pause(millis);
    }
  }

  /**
   * The provider said what is left ({@code remaining}, full again in {@code resetMillis}) when the
   * request with sequence {@code sentSeq} arrived {@code elapsedNanos} ago: brings the budget down
   * to it.
   */
  void sync(double remaining, long resetMillis, long sentSeq, long elapsedNanos) {
    RateBudget b = budget;
    if (b == null || remaining < 0) {
      return;
    }
    ProviderBalance.sync(
        b,
        remaining,
        resetMillis,
        b.perMinute() / 60.0,
        perRequest,
        seq.get() - sentSeq,
        elapsedNanos);
  }

  /**
   * Requests per second this limit lets through at what requests reserve lately; infinite when
   * unknown.
   */
  double requestsPerSecond() {
    double pm = perMinute();
    double each = perRequest;
    return Double.isFinite(pm) && each > 0 ? pm / 60.0 / each : Double.POSITIVE_INFINITY;
  }

  private synchronized void apply() {
    double pm = Math.min(configured, learned);
    if (!Double.isFinite(pm)) {
      return;
    }
    if (budget == null) {
      budget =
          budgets.create(
              kind == Kind.TOKENS
                  ? "tokens"
                  : kind == Kind.INPUT ? "input-tokens" : "output-tokens",
              pm);
    } else if (Math.abs(budget.perMinute() - pm) > 1e-9) {
      budget.setRate(pm);
    }
  }
}
