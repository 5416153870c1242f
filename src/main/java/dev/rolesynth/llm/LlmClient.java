package dev.rolesynth.llm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps a {@link LlmBackend} with everything a paid endpoint needs: an RPM and a TPM budget spent
 * smoothly, an AIMD concurrency limit, a shared cooldown after 429s, bounded retries with jittered
 * exponential backoff for transient faults, and for structured stages JSON Schema validation with
 * re-asks that show the model its mistake.
 *
 * <p>One instance is shared by every DoFn of a JVM (see {@link LlmClients}), so the budgets are per
 * JVM; a provider-wide limit is divided among workers by the launcher (README, "Rate limits").
 */
public final class LlmClient implements AutoCloseable {
  private static final long BASE_BACKOFF_MS = 500;
  private static final long MAX_BACKOFF_MS = 20_000;
  private static final long DEFAULT_RATE_LIMIT_WAIT_MS = 1_000;

  private final LlmBackend backend;
  private final LlmConfig config;
  private final Clock clock;
  private final RateBudget requestBudget;
  private final RateBudget tokenBudget;
  private final AdaptiveConcurrency concurrency;
  private final Cooldown cooldown;
  private final Map<String, Double> expectedCompletion = new ConcurrentHashMap<>();
  private final ExecutorService pool;
  private final ResponseCache cache;

  public LlmClient(LlmBackend backend, LlmConfig config, Clock clock) {
    this(backend, config, clock, null);
  }

  /** @param cache answers to replay and to keep, or null for none */
  public LlmClient(LlmBackend backend, LlmConfig config, Clock clock, ResponseCache cache) {
    this.backend = backend;
    this.cache = cache;
    this.config = config;
    this.clock = clock;
    this.requestBudget = budget(config, "requests", config.maxRequestsPerMinute(), clock);
    this.tokenBudget = budget(config, "tokens", config.maxTokensPerMinute(), clock);
    int ceiling =
        config.maxConcurrentRequests() > 0 ? config.maxConcurrentRequests() : LlmConfig.DEFAULT_CONCURRENCY_CEILING;
    this.concurrency = new AdaptiveConcurrency(ceiling, clock);
    this.cooldown = new Cooldown(clock);
    AtomicInteger n = new AtomicInteger();
    // Twice the concurrency ceiling: enough threads for every call in flight plus as many waiting on a
    // budget or backing off; queued calls wait in the executor's queue, not as parked threads.
    this.pool =
        Executors.newFixedThreadPool(
            Math.max(4, 2 * ceiling),
            r -> {
              Thread t = new Thread(r, "llm-call-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** This JVM's own budget, or the share of one kept by the job's rate-limit service; null when unlimited. */
  private static RateBudget budget(LlmConfig config, String kind, double perMinute, Clock clock) {
    if (perMinute <= 0) {
      return null;
    }
    if (config.sharedRateLimit()) {
      // Named by a hash: the endpoint URL may carry credentials, and the name travels to the service.
      return new RemoteRateBudget(OpenAiHttpBackend.root(), config.rateLimitService(),
          kind + ":" + ResponseCache.sha256(config.endpoint() + "|" + config.model()).substring(0, 16), perMinute, clock);
    }
    return new SmoothRateLimiter(perMinute, clock);
  }

  /** Runs {@link #complete} on the client's pool; the future never completes exceptionally. */
  public CompletableFuture<CallOutcome> submit(ChatRequest request, AnswerCheck check) {
    return CompletableFuture.supplyAsync(() -> complete(request, check), pool);
  }

  /** One logical call: sends, retries, validates and re-asks until an answer passes or attempts run out. */
  public CallOutcome complete(ChatRequest request, AnswerCheck check) {
    CallStats stats = new CallStats();
    ChatRequest current = request;
    try {
      for (int repair = 0; ; repair++) {
        ChatResponse response = send(current, stats);
        if (!request.structured()) {
          return new CallOutcome(response.content(), null, null, stats);
        }
        String problem;
        JsonNode json = null;
        try {
          json = JsonAnswers.parse(response.content());
          problem = JsonAnswers.violations(request.schema(), json);
          if (problem == null) {
            problem = check.problem(json);
          }
        } catch (JsonAnswers.Invalid e) {
          problem = e.getMessage();
        }
        if (problem == null) {
          return new CallOutcome(response.content(), json, null, stats);
        }
        if (repair >= config.maxRepairs()) {
          throw new LlmException(LlmException.Kind.INVALID_OUTPUT, "invalid_output", problem);
        }
        stats.repairs++;
        current =
            current.withAppended(
                ChatMessage.assistant(response.content()),
                ChatMessage.user(
                    "Your answer was rejected: "
                        + problem
                        + ". Reply again with only a JSON object that satisfies the schema."));
      }
    } catch (LlmException e) {
      return new CallOutcome(null, null, e, stats);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new CallOutcome(
          null, null, new LlmException(LlmException.Kind.PERMANENT, "interrupted", null), stats);
    } catch (RuntimeException e) {
      // A stage check or backend that throws must still end its call, or its caller would wait forever.
      return new CallOutcome(
          null, null, new LlmException(LlmException.Kind.PERMANENT, "internal_error", e.toString()), stats);
    }
  }

  /** One answer from the server, after waiting for budget and retrying what deserves a retry. */
  private ChatResponse send(ChatRequest request, CallStats stats) throws LlmException, InterruptedException {
    String key = cache == null ? null : ResponseCache.key(backend.kind(), config.model(), request);
    if (key != null) {
      ChatResponse hit = cache.get(key);
      if (hit != null) {
        stats.cacheHits++;
        return hit;
      }
    }
    ChatResponse response = sendToBackend(request, stats);
    if (key != null) {
      cache.put(key, response);
    }
    return response;
  }

  /** Makes answers durable now (the cache also flushes every second on its own). */
  public void flushCache() throws java.io.IOException {
    if (cache != null) {
      cache.flush();
    }
  }

  private ChatResponse sendToBackend(ChatRequest request, CallStats stats) throws LlmException, InterruptedException {
    int transientFailures = 0;
    int rateLimited = 0;
    while (true) {
      cooldown.await();
      long reserved = reserveTokens(request);
      if (requestBudget != null) {
        requestBudget.acquire(1);
      }
      concurrency.acquire();
      ChatResponse response = null;
      try {
        stats.requests++;
        response = backend.chat(request);
      } catch (LlmException e) {
        refund(reserved);
        switch (e.kind()) {
          case RATE_LIMITED -> {
            stats.rateLimited++;
            concurrency.onRateLimited();
            if (++rateLimited > config.maxRateLimitRetries()) {
              throw e;
            }
            long wait = e.retryAfterMillis() >= 0 ? e.retryAfterMillis() : DEFAULT_RATE_LIMIT_WAIT_MS << Math.min(rateLimited - 1, 5);
            cooldown.extend(wait);
            stats.retries++;
            continue;
          }
          case TRANSIENT -> {
            if (++transientFailures >= config.maxAttempts()) {
              throw new LlmException(
                  LlmException.Kind.TRANSIENT,
                  "retries_exhausted",
                  transientFailures + " attempts, last: " + e.getMessage());
            }
            stats.retries++;
          }
          default -> throw e;
        }
      } finally {
        concurrency.release();
      }
      if (response != null) {
        concurrency.onSuccess();
        settle(request, reserved, response, stats);
        return response;
      }
      clock.sleepNanos(backoffMillis(transientFailures) * 1_000_000L);
    }
  }

  /** Full-jitter exponential backoff: uniformly between half and all of base * 2^(n-1), capped. */
  static long backoffMillis(int failures) {
    long cap = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS << Math.min(failures - 1, 10));
    return cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
  }

  private long reserveTokens(ChatRequest request) throws InterruptedException {
    if (tokenBudget == null) {
      return 0;
    }
    long estimate = request.estimatePromptTokens() + Math.round(expectedCompletion(request));
    tokenBudget.acquire(estimate);
    return estimate;
  }

  private double expectedCompletion(ChatRequest request) {
    return expectedCompletion.getOrDefault(request.schemaName(), (double) Math.min(request.maxTokens(), 512));
  }

  private void refund(long reserved) {
    if (tokenBudget != null && reserved > 0) {
      tokenBudget.adjust(-reserved);
    }
  }

  /** Books the tokens the server reports and corrects the reservation made before sending. */
  private void settle(ChatRequest request, long reserved, ChatResponse response, CallStats stats) {
    long prompt = response.promptTokens() >= 0 ? response.promptTokens() : request.estimatePromptTokens();
    long completion =
        response.completionTokens() >= 0
            ? response.completionTokens()
            : Math.max(1, response.content().length() / 4);
    stats.promptTokens += prompt;
    stats.completionTokens += completion;
    expectedCompletion.merge(request.schemaName(), (double) completion, (old, now) -> 0.8 * old + 0.2 * now);
    if (tokenBudget != null) {
      tokenBudget.adjust(prompt + completion - reserved);
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
    if (cache != null) {
      cache.close();
    }
    backend.close();
  }
}
