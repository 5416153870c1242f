package dev.rolesynth.sim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Rate limits enforced the way hosted providers enforce them, for the served simulator: a request
 * bucket and a token bucket, each refilled continuously at its per-minute rate and holding about one
 * second's worth, so that a minute's budget cannot be spent in a burst. Tokens are charged when a
 * request arrives, as the prompt plus {@code max_tokens} (OpenAI's documented rule), or as the prompt
 * only for {@link #usageOnly} providers, which then charge the completion when it is known. A request
 * larger than the token bucket goes through when the bucket is full and leaves it in debt.
 *
 * <p>Every answer carries the {@code x-ratelimit-*} headers (limit, remaining, time until full) unless
 * the provider is one that sends none; a refusal then says only {@code retry-after}, in whole seconds.
 * Optionally another client shares the key and spends a fixed share of both limits at random times.
 */
final class ProviderLimits {
  /** @param backgroundShare share of both limits another user of the same key spends (0 = none) */
  record Settings(double rpm, double tpm, boolean headers, double burstSeconds, double backgroundShare,
      boolean usageOnly, long seed) {
    static final Settings NONE = new Settings(0, 0, true, 1.0, 0, false, 1);
  }

  /** The outcome of one arrival: admitted or not, how long to wait if not, and the headers to send. */
  record Decision(boolean admitted, long retryAfterMillis, Map<String, String> headers) {}

  private final Settings s;
  private final Bucket requests;
  private final Bucket tokens;
  private final SplittableRandom random;
  private final double backgroundPerSecond;
  private final double backgroundTokensEach;
  private double nextBackground;
  private long backgroundAdmitted;
  private long backgroundRefused;
  private long tokensCharged;
  private final double startSeconds;

  ProviderLimits(Settings s, double nowSeconds) {
    this.s = s;
    this.startSeconds = nowSeconds;
    this.requests = s.rpm() > 0 ? new Bucket(s.rpm() / 60.0, Math.max(1, s.rpm() / 60.0 * s.burstSeconds()), nowSeconds) : null;
    this.tokens = s.tpm() > 0 ? new Bucket(s.tpm() / 60.0, Math.max(1, s.tpm() / 60.0 * s.burstSeconds()), nowSeconds) : null;
    this.random = new SplittableRandom(s.seed());
    this.backgroundPerSecond = s.backgroundShare() <= 0 ? 0 : s.rpm() > 0 ? s.backgroundShare() * s.rpm() / 60.0 : 10;
    this.backgroundTokensEach = s.backgroundShare() <= 0 || s.tpm() <= 0 ? 0 : s.backgroundShare() * s.tpm() / 60.0 / backgroundPerSecond;
    this.nextBackground = backgroundPerSecond > 0 ? nowSeconds + exponential() : Double.POSITIVE_INFINITY;
  }

  boolean limited() {
    return requests != null || tokens != null;
  }

  /** A request arrives at {@code now} wanting {@code charge} tokens: admit it and charge, or refuse it. */
  synchronized Decision arrive(double now, long charge) {
    runBackground(now);
    refill(now);
    double requestWait = requests == null || requests.level >= 1 ? 0 : (1 - requests.level) / requests.perSecond;
    double tokenWait = tokens == null || tokens.fits(charge) ? 0 : tokens.waitFor(charge);
    boolean admitted = requestWait == 0 && tokenWait == 0;
    if (admitted) {
      if (requests != null) {
        requests.level -= 1;
      }
      if (tokens != null) {
        tokens.level -= charge;
        tokensCharged += charge;
      }
    }
    long retryMillis = admitted ? 0 : Math.max(1, (long) Math.ceil(1000 * Math.max(requestWait, tokenWait)));
    return new Decision(admitted, retryMillis, headers(admitted, retryMillis));
  }

  /** A usage-only provider charges the completion once it is known. */
  synchronized void charge(double now, long completionTokens) {
    if (tokens != null && s.usageOnly()) {
      refill(now);
      tokens.level -= completionTokens;
      tokensCharged += completionTokens;
    }
  }

  synchronized long tokensCharged() {
    return tokensCharged;
  }

  synchronized long backgroundAdmitted() {
    return backgroundAdmitted;
  }

  synchronized long backgroundRefused() {
    return backgroundRefused;
  }

  private Map<String, String> headers(boolean admitted, long retryMillis) {
    Map<String, String> h = new LinkedHashMap<>();
    if (!s.headers()) {
      if (!admitted) {
        h.put("retry-after", Long.toString(Math.max(1, (retryMillis + 999) / 1000)));
      }
      return h;
    }
    if (requests != null) {
      h.put("x-ratelimit-limit-requests", Long.toString(Math.round(s.rpm())));
      h.put("x-ratelimit-remaining-requests", Long.toString((long) Math.floor(Math.max(0, requests.level))));
      h.put("x-ratelimit-reset-requests", millis(requests.secondsToFull()));
    }
    if (tokens != null) {
      h.put("x-ratelimit-limit-tokens", Long.toString(Math.round(s.tpm())));
      h.put("x-ratelimit-remaining-tokens", Long.toString((long) Math.floor(Math.max(0, tokens.level))));
      h.put("x-ratelimit-reset-tokens", millis(tokens.secondsToFull()));
    }
    if (!admitted) {
      h.put("retry-after-ms", Long.toString(retryMillis));
      h.put("retry-after", Long.toString(Math.max(1, (retryMillis + 999) / 1000)));
    }
    return h;
  }

  private static String millis(double seconds) {
    return Math.max(0, Math.round(seconds * 1000)) + "ms";
  }

  /** Another user of the key, spending its share at random (Poisson) times up to {@code now}. */
  private void runBackground(double now) {
    while (nextBackground <= now) {
      refill(nextBackground);
      long charge = Math.round(backgroundTokensEach);
      boolean fits = (requests == null || requests.level >= 1) && (tokens == null || tokens.fits(charge));
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

    /** A charge fits if the bucket holds it, or if the bucket is full (a request larger than the bucket). */
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
