package dev.rolesynth.sim;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Rate limits enforced the way hosted providers enforce them, for the served simulator: a request
 * bucket and a token bucket, each refilled continuously at its per-minute rate and holding about
 * one second's worth, so that a minute's budget cannot be spent in a burst. Tokens are charged when
 * a request arrives, as the prompt plus {@code max_tokens} (OpenAI's documented rule), or as the
 * prompt only for {@link #usageOnly} providers, which then charge the completion when it is known.
 * A request larger than the token bucket goes through when the bucket is full and leaves it in
 * debt.
 *
 * <p>Every answer carries the {@code x-ratelimit-*} headers (limit, remaining, time until full)
 * unless the provider is one that sends none; a refusal then says only {@code retry-after}, in
 * whole seconds. Optionally another client shares the key and spends a fixed share of both limits
 * at random times.
 *
 * <p>In Anthropic's style ({@link Settings#anthropic}) input and output tokens are separate
 * budgets: input charged as the prompt, output estimated as {@code max_tokens} on arrival and
 * settled to what was generated; the headers are {@code
 * anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}- {limit,remaining,reset}} with
 * resets as RFC 3339 times and token counts rounded down to thousands, and a refusal says {@code
 * retry-after} in seconds.
 */
final class ProviderLimits {
  /**
   * @param backgroundShare share of both limits another user of the same key spends (0 = none)
   */
  record Settings(
      double rpm,
      double tpm,
      boolean headers,
      double burstSeconds,
      double backgroundShare,
      boolean usageOnly,
      long seed,
      boolean anthropic,
      double itpm,
      double otpm) {
    static final Settings NONE = new Settings(0, 0, true, 1.0, 0, false, 1);

    Settings(
        double rpm,
        double tpm,
        boolean headers,
        double burstSeconds,
        double backgroundShare,
        boolean usageOnly,
        long seed) {
      this(rpm, tpm, headers, burstSeconds, backgroundShare, usageOnly, seed, false, 0, 0);
    }

    /**
     * Anthropic's limits: requests, input tokens and output tokens per minute, stated in its
     * headers.
     */
    Settings asAnthropic(double inputTpm, double outputTpm) {
      return new Settings(
          rpm, 0, true, burstSeconds, backgroundShare, false, seed, true, inputTpm, outputTpm);
    }
  }

  /**
   * The outcome of one arrival: admitted or not, how long to wait if not, and the headers to send.
   */
  record Decision(boolean admitted, long retryAfterMillis, Map<String, String> headers) {}

  private final Settings s;
  private final Bucket requests;
  private final Bucket tokens;
  private final Bucket input;
  private final Bucket output;
  private final SplittableRandom random;
  private final double backgroundPerSecond;
  private final double backgroundTokensEach;
  private double nextBackground;
  private long backgroundAdmitted;
  private long backgroundRefused;
  private long tokensCharged;
  private long inputCharged;
  private long outputCharged;
  private final double startSeconds;

  ProviderLimits(Settings s, double nowSeconds) {
    this.s = s;
    this.startSeconds = nowSeconds;
    this.requests =
        s.rpm() > 0
            ? new Bucket(s.rpm() / 60.0, Math.max(1, s.rpm() / 60.0 * s.burstSeconds()), nowSeconds)
            : null;
    this.tokens =
        s.tpm() > 0
            ? new Bucket(s.tpm() / 60.0, Math.max(1, s.tpm() / 60.0 * s.burstSeconds()), nowSeconds)
            : null;
    // Anthropic's token buckets refill continuously up to the whole minute's limit (its
    // documentation);
    // its requests may be enforced over shorter intervals, as here (a second's worth).
    this.input = s.itpm() > 0 ? new Bucket(s.itpm() / 60.0, s.itpm(), nowSeconds) : null;
    this.output = s.otpm() > 0 ? new Bucket(s.otpm() / 60.0, s.otpm(), nowSeconds) : null;
    this.random = new SplittableRandom(s.seed());
    this.backgroundPerSecond =
        s.backgroundShare() <= 0 ? 0 : s.rpm() > 0 ? s.backgroundShare() * s.rpm() / 60.0 : 10;
    this.backgroundTokensEach =
        s.backgroundShare() <= 0 || s.tpm() <= 0
            ? 0
            : s.backgroundShare() * s.tpm() / 60.0 / backgroundPerSecond;
    this.nextBackground =
        backgroundPerSecond > 0 ? nowSeconds + exponential() : Double.POSITIVE_INFINITY;
  }

  boolean limited() {
    return requests != null || tokens != null || input != null || output != null;
  }

  /**
   * A request arrives at {@code now} wanting {@code charge} tokens (in Anthropic's style: {@code
   * charge} input tokens and {@code maxTokens} output tokens): admit it and charge, or refuse it.
   */
  synchronized Decision arrive(double now, long charge, long maxTokens) {
    runBackground(now);
    refill(now);
    double requestWait =
        requests == null || requests.level >= 1 ? 0 : (1 - requests.level) / requests.perSecond;
    double tokenWait = tokens == null || tokens.fits(charge) ? 0 : tokens.waitFor(charge);
    double inputWait = input == null || input.fits(charge) ? 0 : input.waitFor(charge);
    double outputWait = output == null || output.fits(maxTokens) ? 0 : output.waitFor(maxTokens);
    tokenWait = Math.max(tokenWait, Math.max(inputWait, outputWait));
    boolean admitted = requestWait == 0 && tokenWait == 0;
    if (admitted) {
      if (requests != null) {
        requests.level -= 1;
      }
      if (tokens != null) {
        tokens.level -= charge;
        tokensCharged += charge;
      }
      if (input != null) {
        input.level -= charge;
        tokensCharged += charge;
        inputCharged += charge;
      }
      if (output != null) {
        output.level -= maxTokens;
        outputCharged += maxTokens;
      }
    }
    long retryMillis =
        admitted ? 0 : Math.max(1, (long) Math.ceil(1000 * Math.max(requestWait, tokenWait)));
    return new Decision(admitted, retryMillis, headers(admitted, retryMillis));
  }

  /**
   * The completion is known: a usage-only provider charges it; in Anthropic's style the output
   * estimate ({@code maxTokens}) is settled to it.
   */
  synchronized void charge(double now, long completionTokens, long maxTokens) {
    if (tokens != null && s.usageOnly()) {
      refill(now);
      tokens.level -= completionTokens;
      tokensCharged += completionTokens;
    }
    if (output != null) {
      refill(now);
      output.level = Math.min(output.capacity, output.level + maxTokens - completionTokens);
      tokensCharged += completionTokens;
      outputCharged -= maxTokens - completionTokens;
    }
  }

  synchronized long tokensCharged() {
    return tokensCharged;
  }

  /** Anthropic's two budgets as settled: input tokens, and output tokens as generated. */
  synchronized long[] inputOutputCharged() {
    return new long[] {inputCharged, outputCharged};
  }

  synchronized long backgroundAdmitted() {
    return backgroundAdmitted;
  }

  synchronized long backgroundRefused() {
    return backgroundRefused;
  }

  private Map<String, String> headers(boolean admitted, long retryMillis) {
    Map<String, String> h = new LinkedHashMap<>();
    if (s.anthropic()) {
      return anthropicHeaders(admitted, retryMillis);
    }
    if (!s.headers()) {
      if (!admitted) {
        h.put("retry-after", Long.toString(Math.max(1, (retryMillis + 999) / 1000)));
      }
      return h;
    }
    if (requests != null) {
      h.put("x-ratelimit-limit-requests", Long.toString(Math.round(s.rpm())));
      h.put(
          "x-ratelimit-remaining-requests",
          Long.toString((long) Math.floor(Math.max(0, requests.level))));
      h.put("x-ratelimit-reset-requests", millis(requests.secondsToFull()));
    }
    if (tokens != null) {
      h.put("x-ratelimit-limit-tokens", Long.toString(Math.round(s.tpm())));
      h.put(
          "x-ratelimit-remaining-tokens",
          Long.toString((long) Math.floor(Math.max(0, tokens.level))));
      h.put("x-ratelimit-reset-tokens", millis(tokens.secondsToFull()));
    }
    if (!admitted) {
      h.put("retry-after-ms", Long.toString(retryMillis));
      h.put("retry-after", Long.toString(Math.max(1, (retryMillis + 999) / 1000)));
    }
    return h;
  }

  /**
   * Anthropic's names; resets as the RFC 3339 time the bucket is full again; tokens rounded down to
   * thousands.
   */
  private Map<String, String> anthropicHeaders(boolean admitted, long retryMillis) {
    Map<String, String> h = new LinkedHashMap<>();
    Instant now = Instant.now();
    if (requests != null) {
      anthropic(
          h,
          "requests",
          s.rpm(),
          Math.floor(Math.max(0, requests.level)),
          requests.secondsToFull(),
          now);
    }
    if (input != null) {
      anthropic(h, "input-tokens", s.itpm(), thousands(input.level), input.secondsToFull(), now);
    }
    if (output != null) {
      anthropic(h, "output-tokens", s.otpm(), thousands(output.level), output.secondsToFull(), now);
    }
    if (input != null
        || output != null) { // the most restrictive of the two, as Anthropic reports it
      Bucket tight =
          output == null
                  || (input != null
                      && input.level / input.capacity < output.level / output.capacity)
              ? input
              : output;
      anthropic(
          h,
          "tokens",
          tight == input ? s.itpm() : s.otpm(),
          thousands(tight.level),
          tight.secondsToFull(),
          now);
    }
    if (!admitted) {
      h.put("retry-after", Long.toString(Math.max(1, (retryMillis + 999) / 1000)));
    }
    return h;
  }

  private static void anthropic(
      Map<String, String> h,
      String kind,
      double limit,
      double remaining,
      double toFull,
      Instant now) {
    h.put("anthropic-ratelimit-" + kind + "-limit", Long.toString(Math.round(limit)));
    h.put("anthropic-ratelimit-" + kind + "-remaining", Long.toString((long) remaining));
    h.put(
        "anthropic-ratelimit-" + kind + "-reset",
        now.plusMillis(Math.max(0, Math.round(toFull * 1000)))
            .truncatedTo(ChronoUnit.SECONDS)
            .toString());
  }

  private static double thousands(double level) {
    return Math.floor(Math.max(0, level) / 1000) * 1000;
  }

  private static String millis(double seconds) {
    return Math.max(0, Math.round(seconds * 1000)) + "ms";
  }

  /** Another user of the key, spending its share at random (Poisson) times up to {@code now}. */
  private void runBackground(double now) {
    while (nextBackground <= now) {
      refill(nextBackground);
      long charge = Math.round(backgroundTokensEach);
      boolean fits =
          (requests == null || requests.level >= 1) && (tokens == null || tokens.fits(charge));
      if (fits) {
        if (requests != null) {
          requests.level -= 1;
        }
        if (tokens != null) {
          tokens.level -= charge;
        }
        backgroundAdmitted++;
      } else {
        backgroundRefused++;
      }
      nextBackground += exponential();
    }
  }

  private double exponential() {
    return -Math.log(1 - random.nextDouble()) / backgroundPerSecond;
  }

  private void refill(double now) {
    if (requests != null) {
      requests.refill(now);
    }
    if (tokens != null) {
      tokens.refill(now);
    }
    if (input != null) {
      input.refill(now);
    }
    if (output != null) {
      output.refill(now);
    }
  }

  double elapsedSeconds(double now) {
    return now - startSeconds;
  }

  private static final class Bucket {
    final double perSecond;
    final double capacity;
    double level;
    double last;

    Bucket(double perSecond, double capacity, double now) {
      this.perSecond = perSecond;
      this.capacity = capacity;
      this.level = capacity;
      this.last = now;
    }

    void refill(double now) {
      if (now > last) {
        level = Math.min(capacity, level + (now - last) * perSecond);
        last = now;
      }
    }

    /**
     * A charge fits if the bucket holds it, or if the bucket is full (a request larger than the
     * bucket).
     */
    boolean fits(long charge) {
      return level >= charge || level >= capacity;
    }

    double waitFor(long charge) {
      return (Math.min(charge, capacity) - level) / perSecond;
    }

    double secondsToFull() {
      return (capacity - level) / perSecond;
    }
  }
}
