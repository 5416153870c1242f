package dev.rolesynth.llm;

/**
 * A provider's token limits side by side, each a {@link TokenBudget}: OpenAI's tokens per minute,
 * and Anthropic's input and output tokens per minute, in that order in every array here. A request
 * reserves in each budget whose limit is known.
 */
final class TokenLimits {
  private static final String[] NAMES = {"tokens/min", "input tokens/min", "output tokens/min"};
  private final TokenBudget[] budgets;

  TokenLimits(double configuredTokensPerMinute, Throttle.Budgets factory) {
    budgets =
        new TokenBudget[] {
          new TokenBudget(TokenBudget.Kind.TOKENS, configuredTokensPerMinute, factory),
          new TokenBudget(TokenBudget.Kind.INPUT, 0, factory),
          new TokenBudget(TokenBudget.Kind.OUTPUT, 0, factory)
        };
  }

  /**
   * Waits until {@code reserved} may go and spends it; a budget not known yet reserves nothing (its
   * entry becomes 0). Fills {@code seqs} with each budget's sequence after it; returns nanos
   * waited.
   */
  long reserve(long[] reserved, long[] seqs) throws InterruptedException {
    long waited = 0;
    for (int i = 0; i < budgets.length; i++) {
      if (!budgets[i].known()) {
        reserved[i] = 0;
      }
      long[] r = budgets[i].reserve(reserved[i]);
      waited += r[0];
      seqs[i] = r[1];
    }
    return waited;
  }

  /** Gives back what the provider did not charge. */
  void refund(long[] reserved) {
    for (int i = 0; i < budgets.length; i++) {
      budgets[i].refund(reserved[i]);
    }
  }

  void pause(long millis) {
    for (TokenBudget b : budgets) {
      b.pause(millis);
    }
  }

  /** Corrects each reservation to what the provider charged. */
  void settle(long[] reserved, long[] charged) {
    for (int i = 0; i < budgets.length; i++) {
      budgets[i].settle(reserved[i], charged[i]);
    }
  }

  /** Adopts the limits the provider states; true when one in force changed. */
  boolean learn(LimitHeaders h) {
    boolean changed = budgets[0].learn(h.limitTokens());
    changed |= budgets[1].learn(h.limitInputTokens());
    changed |= budgets[2].learn(h.limitOutputTokens());
    return changed;
  }

  /** Brings each budget down to what the provider said was left when the request arrived. */
  void sync(LimitHeaders h, long[] seqs, long elapsedNanos) {
    budgets[0].sync(h.remainingTokens(), h.resetTokensMillis(), seqs[0], elapsedNanos);
    budgets[1].sync(h.remainingInputTokens(), h.resetInputTokensMillis(), seqs[1], elapsedNanos);
    budgets[2].sync(h.remainingOutputTokens(), h.resetOutputTokensMillis(), seqs[2], elapsedNanos);
  }

  /**
   * Whether the provider has less left in a known budget than twice what this request reserved
   * (twice: the provider's count of a prompt may run above ours).
   */
  private boolean nearlySpent(LimitHeaders h, long[] reserved) {
    double[] remaining = {h.remainingTokens(), h.remainingInputTokens(), h.remainingOutputTokens()};
    boolean isShort = false;
    for (int i = 0; i < budgets.length; i++) {
      isShort |=
          budgets[i].known() && remaining[i] >= 0 && remaining[i] < Math.max(1, 2 * reserved[i]);
    }
    return isShort;
  }

  /**
   * The provider says it refused for tokens, with requests to spare: the token budget (synced, then
   * paused) answers that; slowing the requests down would throttle a dimension that is not full.
   */
  boolean refusedFor(LimitHeaders h, long[] reserved) {
    boolean requestsLeft = h.remainingRequests() < 0 || h.remainingRequests() >= 1;
    return nearlySpent(h, reserved) && requestsLeft;
  }

  /** Requests per second the token limits let through at what requests reserve lately. */
  double requestsPerSecond() {
    double rate = Double.POSITIVE_INFINITY;
    for (TokenBudget b : budgets) {
      rate = Math.min(rate, b.requestsPerSecond());
    }
    return rate;
  }

  /**
   * Tokens per minute in force: the combined limit's, else the input one's; infinite when
   * unlimited.
   */
  double perMinute() {
    double combined = budgets[0].perMinute();
    return Double.isFinite(combined) ? combined : budgets[1].perMinute();
  }

  boolean limited() {
    for (TokenBudget b : budgets) {
      if (Double.isFinite(b.perMinute())) {
        return true;
      }
    }
    return false;
  }

  /** E.g. ", 150000 tokens/min (configured)", or ", tokens unlimited". */
  String describe() {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < budgets.length; i++) {
      double pm = budgets[i].perMinute();
      if (Double.isFinite(pm)) {
        line.append(", ")
            .append(Math.round(pm))
            .append(' ')
            .append(NAMES[i])
            .append(" (")
            .append(budgets[i].source())
            .append(')');
      }
    }
    return line.length() > 0 ? line.toString() : ", tokens unlimited";
  }
}
