package dev.rolesynth.llm;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends one request until the provider answers it: a slot among the calls in flight, then the rate
 * budget's turn, then the request; a 429 waits and goes again for as long as the provider keeps
 * asking, up to a total patience, apart from the error-retry budget; transient faults back off with
 * jitter; an answer cut off by a {@code max_tokens} sized from earlier answers is asked again in
 * full.
 */
final class PacedSend {
  private static final long BASE_BACKOFF_MS = 500;
  private static final long MAX_BACKOFF_MS = 20_000;
  private static final long DEFAULT_RATE_LIMIT_WAIT_MS = 1_000;

  /** ROLESYNTH_DEBUG set: every retried failure is printed (what the manifest only counts). */
  private static final boolean DEBUG = System.getenv("ROLESYNTH_DEBUG") != null;

  static final int KEY_REFUSALS_TO_STOP = 3;

  private final LlmBackend backend;
  private final LlmConfig config;
  private final Clock clock;
  private final Throttle throttle;
  private final InFlightLimit concurrency;
  private final ResponseCache cache;
  private final CompletionSizer sizer;
  private final Map<String, Double> expectedCompletion = new ConcurrentHashMap<>();

  /**
   * 401/403 answers since the last answer that was not one: a burst means the key is revoked or
   * wrong.
   */
  private final AtomicInteger keyRefusals = new AtomicInteger();

  PacedSend(
      LlmBackend backend,
      LlmConfig config,
      Clock clock,
      Throttle throttle,
      InFlightLimit concurrency,
      ResponseCache cache) {
    this.backend = backend;
    this.config = config;
    this.clock = clock;
    this.throttle = throttle;
    this.concurrency = concurrency;
    this.cache = cache;
    this.sizer = new CompletionSizer(config.stageMaxTokens());
  }

  /** True once the provider refused the key several times in a row. */
  boolean keyRefused() {
    return keyRefusals.get() >= KEY_REFUSALS_TO_STOP;
  }

  /**
   * @param key the request's cache key, recorded as sent just before it first goes out; null
   *     without a cache
   */
  ChatResponse send(ChatRequest request, CallStats stats, String key)
      throws LlmException, InterruptedException {
    boolean recorded =
        key == null
            || throttle == null; // paid endpoints only: asking the simulator again costs nothing
    int transientFailures = 0;
    long firstRefusal = -1;
    int ceiling = sizer.ceiling(request);
    int maxTokens =
        throttle != null && throttle.tokenLimited() ? sizer.maxTokens(request) : ceiling;
    while (true) {
      ChatRequest sized = request.withMaxTokens(maxTokens);
      // a slot first: a rate-budget ticket is only taken when the request can go at once
      concurrency.acquire();
      ChatResponse response = null;
      Ticket ticket = null;
      long sent = -1;
      try {
        ticket =
            throttle == null
                ? null
                : throttle.acquire(
                    request.schemaName(),
                    request.estimatePromptTokens(),
                    maxTokens,
                    expectedCompletion(request, maxTokens));
        if (ticket != null) {
          stats.throttledNanos += ticket.waitedNanos();
        }
        if (!recorded) {
          recorded = true;
          if (cache.sending(key)) { // sent before and never answered into the cache: paid again
            stats.repeated++;
          }
        }
        stats.requests++;
        sent = concurrency.sending();
        response = backend.chat(sized);
        concurrency.returned(sent, true);
      } catch (LlmException e) {
        if (sent >= 0) {
          concurrency.returned(sent, false);
        }
        switch (e.kind()) {
          case RATE_LIMITED -> {
            stats.rateLimited++;
            concurrency.onRateLimited();
            long wait =
                throttle == null
                    ? Math.max(0, e.retryAfterMillis())
                    : throttle.rateLimited(ticket, e, DEFAULT_RATE_LIMIT_WAIT_MS);
            long now = clock.nanoTime();
            firstRefusal = firstRefusal < 0 ? now : firstRefusal;
            if (now + wait * 1_000_000L - firstRefusal > patienceNanos()) {
              throw new LlmException(
                  LlmException.Kind.RATE_LIMITED,
                  "rate_limit_patience_exhausted",
                  "the provider kept answering 429 for longer than --llmRateLimitPatienceMinutes="
                      + config.rateLimitPatienceMinutes()
                      + " ("
                      + stats.rateLimited
                      + " refusals)");
            }
            if (throttle == null && wait > 0) {
              clock.sleepNanos(wait * 1_000_000L);
            }
            stats.retries++;
            continue;
          }
          case TRANSIENT -> {
            failed(ticket);
            if (DEBUG) {
              System.err.println(
                  "rolesynth: debug: transient failure, retrying: " + e.getMessage());
            }
            if (++transientFailures >= config.maxAttempts()) {
              throw new LlmException(
                  LlmException.Kind.TRANSIENT,
                  "retries_exhausted",
                  transientFailures + " attempts, last: " + e.getMessage());
            }
            stats.retries++;
          }
          default -> {
            failed(ticket);
            if (e.reason().equals("http_401") || e.reason().equals("http_403")) {
              keyRefusals.incrementAndGet();
            }
            throw e;
          }
        }
      } catch (RuntimeException | Error e) {
        if (sent >= 0) {
          concurrency.returned(sent, false);
        }
        failed(ticket);
        throw e;
      } finally {
        concurrency.release();
      }
      if (response != null) {
        keyRefusals.set(0);
        if (throttle != null) {
          throttle.answered(ticket, response);
        }
        settle(request, response, stats, maxTokens);
        if (response.truncated() && maxTokens < ceiling) {
          // Cut off by a limit sized from earlier answers, not by the stage's own: ask again in
          // full.
          maxTokens = ceiling;
          stats.retries++;
          continue;
        }
        return response;
      }
      clock.sleepNanos(backoffMillis(transientFailures) * 1_000_000L);
    }
  }

  private void failed(Ticket ticket) {
    if (ticket != null) {
      throttle.failed(ticket);
    }
  }

  private long patienceNanos() {
    return (long) (config.rateLimitPatienceMinutes() * 60e9);
  }

  /** Full-jitter exponential backoff: uniformly between half and all of base * 2^(n-1), capped. */
  static long backoffMillis(int failures) {
    long cap = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS << Math.min(failures - 1, 10));
    return cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
  }

  /**
   * For providers that count usage only: the stage's running mean completion, at most its limit.
   */
  private double expectedCompletion(ChatRequest request, int maxTokens) {
    return Math.min(
        maxTokens,
        expectedCompletion.getOrDefault(request.schemaName(), (double) Math.min(maxTokens, 512)));
  }

  /** Books the tokens the server reports. */
  private void settle(
      ChatRequest request, ChatResponse response, CallStats stats, int sentMaxTokens) {
    long prompt =
        response.promptTokens() >= 0 ? response.promptTokens() : request.estimatePromptTokens();
    long completion =
        response.completionTokens() >= 0
            ? response.completionTokens()
            : Math.max(1, response.content().length() / 4);
    stats.promptTokens += prompt;
    stats.completionTokens += completion;
    expectedCompletion.merge(
        request.schemaName(), (double) completion, (old, now) -> 0.8 * old + 0.2 * now);
    sizer.observe(request.schemaName(), (int) completion, sentMaxTokens, response.truncated());
  }
}
