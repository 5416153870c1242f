package dev.rolesynth.llm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Wraps a {@link LlmBackend} with everything a paid endpoint needs: a {@link Throttle} that paces
 * requests and tokens within the provider's limits (configured, stated in its headers, or discovered
 * from its 429s), an AIMD concurrency limit, per-stage {@code max_tokens} sized from the answers seen,
 * bounded retries with jittered exponential backoff for transient faults, and for structured stages
 * JSON Schema validation with re-asks that show the model its mistake.
 *
 * <p>A 429 never loses a call: it waits and retries for as long as the provider keeps asking, up to a
 * total patience ({@link LlmConfig#rateLimitPatienceMinutes}), apart from the error-retry budget.
 *
 * <p>One instance is shared by every DoFn of a JVM (see {@link LlmClients}), so the budgets are per
 * JVM, or shared by every worker of a job through its {@link RateLimitService}.
 */
public final class LlmClient implements AutoCloseable {
  private static final long BASE_BACKOFF_MS = 500;
  private static final long MAX_BACKOFF_MS = 20_000;
  private static final long DEFAULT_RATE_LIMIT_WAIT_MS = 1_000;

  private final LlmBackend backend;
  private final LlmConfig config;
  private final Clock clock;
  private final Throttle throttle;
  private final InFlightLimit concurrency;
  private final AtomicInteger outstanding = new AtomicInteger();
  private final CompletionSizer sizer;
  private final Map<String, Double> expectedCompletion = new ConcurrentHashMap<>();
  private final java.util.concurrent.ThreadPoolExecutor pool;
  private final ResponseCache cache;
  /** 401/403 answers since the last answer that was not one: a burst means the key is revoked or wrong. */
  private final java.util.concurrent.atomic.AtomicInteger keyRefusals = new java.util.concurrent.atomic.AtomicInteger();
  static final int KEY_REFUSALS_TO_STOP = 3;

  public LlmClient(LlmBackend backend, LlmConfig config, Clock clock) {
    this(backend, config, clock, null);
  }

  /** @param cache answers to replay and to keep, or null for none */
  public LlmClient(LlmBackend backend, LlmConfig config, Clock clock, ResponseCache cache) {
    this(backend, config, clock, cache, line -> System.err.println(line)); // System.err as it is when a line is printed
  }

  /** @param log where progress lines about rate limits go */
  public LlmClient(LlmBackend backend, LlmConfig config, Clock clock, ResponseCache cache, Consumer<String> log) {
    this.backend = backend;
    this.cache = cache;
    this.config = config;
    this.clock = clock;
    this.throttle = config.throttled() ? new Throttle(config, clock, budgets(config, clock), log) : null;
    if (throttle != null) {
      CallProgress.global().watch(throttle);
    }
    this.sizer = new CompletionSizer(config.stageMaxTokens());
    int cap = config.maxConcurrentRequests() > 0 ? config.maxConcurrentRequests()
        : throttle == null ? LlmConfig.DEFAULT_CONCURRENCY_CEILING : InFlightLimit.defaultCap(Runtime.getRuntime().maxMemory());
    this.concurrency = new InFlightLimit(cap, clock, this::requestsPerSecond, throttle != null);
    AtomicInteger n = new AtomicInteger();
    // As many threads as slots, and some to wait on the rate budget; calls beyond them wait in the
    // queue, not as parked threads. The pool follows the limit (fitPool); idle threads end.
    this.pool = new java.util.concurrent.ThreadPoolExecutor(THREADS_BEYOND_SLOTS, THREADS_BEYOND_SLOTS, 30, TimeUnit.SECONDS,
        new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(null, r, "llm-call-" + n.incrementAndGet(), CALL_THREAD_STACK);
          t.setDaemon(true);
          return t;
        });
    this.pool.allowCoreThreadTimeOut(true);
    fitPool();
    CallProgress.global().watch(this);
  }

  /** Threads beyond the in-flight limit, for calls waiting on the rate budget or backing off. */
  static final int THREADS_BEYOND_SLOTS = 64;
  /** ROLESYNTH_DEBUG set: every retried failure is printed (what the manifest only counts). */
  private static final boolean DEBUG = System.getenv("ROLESYNTH_DEBUG") != null;
  /** A call thread's stack: an HTTP call and its retries are shallow; thousands of threads stay cheap. */
  private static final long CALL_THREAD_STACK = 512L << 10;

  /** The rate in force, per second, for sizing the calls in flight; NaN while none is. */
  private double requestsPerSecond() {
    return throttle == null ? Double.NaN : throttle.requestsPerSecondInForce();
  }

  /** Grows or shrinks the call threads to the in-flight limit, plus some for calls waiting on a budget. */
  private void fitPool() {
    int want = (int) Math.min(concurrency.cap(), concurrency.limit()) + THREADS_BEYOND_SLOTS;
    int have = pool.getCorePoolSize();
    if (want > have || want < have * 0.8) {
      synchronized (pool) {
        if (want > pool.getMaximumPoolSize()) {
          pool.setMaximumPoolSize(want);
          pool.setCorePoolSize(want);
        } else {
          pool.setCorePoolSize(want);
          pool.setMaximumPoolSize(want);
        }
      }
    }
  }

  /**
   * Whether this JVM wants more calls submitted: fewer are outstanding than the in-flight limit and a
   * margin to keep the rate budget fed. A caller with nothing of its own to wait for should come back
   * shortly; one that keeps submitting regardless only queues calls in memory.
   */
  public boolean wantsMore() {
    double limit = concurrency.limit();
    return outstanding.get() < limit + Math.max(THREADS_BEYOND_SLOTS, limit / 4);
  }

  /** Calls submitted and not finished. */
  public int outstanding() {
    return outstanding.get();
  }

  /**
   * Why calls go at the pace they do, for the progress line: limit-bound (waiting on the rate budget),
   * latency-bound (every slot busy: in flight × seconds an answer takes), or bound by the pipeline
   * itself (CPU, or a stage waiting for the one before it).
   */
  public String pace() {
    int waiting = throttle == null ? 0 : throttle.waiting();
    int open = concurrency.open();
    String slots = open + " in flight × " + String.format(java.util.Locale.ROOT, "%.1f", concurrency.latencySeconds()) + " s";
    String why = throttle == null ? null : throttle.waitingFor();
    if (why != null && (waiting > 0 && (Double.isFinite(throttle.requestsPerMinute()) || !why.equals("limit-bound")))) {
      return why + " (" + slots + ")";
    }
    if (concurrency.inUse() >= concurrency.limit()) {
      return "latency-bound (" + slots + ", the most " + (int) concurrency.limit() + ")";
    }
    return "pipeline-bound (" + slots + ": CPU, or a stage waiting for the one before)";
  }

  /** This JVM's own budgets, or shares of ones kept by the job's rate-limit service. */
  private static Throttle.Budgets budgets(LlmConfig config, Clock clock) {
    if (config.sharedRateLimit()) {
      // Named by a hash: the endpoint URL may carry credentials, and the name travels to the service.
      String endpoint = ResponseCache.sha256(config.endpoint() + "|" + config.model()).substring(0, 16);
      return (kind, perMinute) -> new RemoteRateBudget(OpenAiHttpBackend.root(), config.rateLimitService(),
          config.rateLimitToken(), kind + ":" + endpoint, perMinute, clock);
    }
    return (kind, perMinute) -> new SmoothRateLimiter(perMinute, clock);
  }

  /**
   * True once the provider refused the key several times in a row (revoked, wrong, out of credit):
   * the run should stop rather than dead-letter the rest of the pool one 401 at a time.
   */
  public boolean keyRefused() {
    return keyRefusals.get() >= KEY_REFUSALS_TO_STOP;
  }

  /** The pacing in force, or null for endpoints without limits (the simulator, a local engine). */
  public Throttle throttle() {
    return throttle;
  }

  /**
   * Runs {@link #complete} on the client's pool. The future completes exceptionally only when the
   * call's thread broke (out of memory); cancelling it takes back a call not yet sent.
   */
  public CompletableFuture<CallOutcome> submit(ChatRequest request, AnswerCheck check) {
    outstanding.incrementAndGet();
    fitPool();
    CompletableFuture<CallOutcome> result = new CompletableFuture<>();
    java.util.concurrent.Future<?> task;
    try {
      task = pool.submit(() -> {
        try {
          if (result.isDone()) {
            return; // cancelled before it started: nothing is sent
          }
          CallOutcome o = complete(request, check);
          CallProgress.global().record(o);
          result.complete(o);
        } catch (Throwable t) {
          result.completeExceptionally(t);
        } finally {
          outstanding.decrementAndGet();
          fitPool();
        }
      });
    } catch (RuntimeException e) { // rejected: the client is closing
      outstanding.decrementAndGet();
      throw e;
    }
    // A caller that gives up (a job cancelled) takes the call back: a queued one is never sent.
    result.whenComplete((o, e) -> {
      if (result.isCancelled()) {
        task.cancel(true);
      }
    });
    return result;
  }

  /** How much of a rejected answer a dead letter keeps. */
  static final int REJECTED_ANSWER_CHARS = 2000;

  private static String clip(String s, int max) {
    return s == null ? "" : s.length() <= max ? s : s.substring(0, max) + " … (" + (s.length() - max) + " more characters)";
  }

  /** How a re-ask after a rejected answer begins. */
  public static final String REASK = "Your answer was rejected: ";

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
          // The dead letter shows what was refused and why, so that a reviewer can judge the check.
          throw new LlmException(LlmException.Kind.INVALID_OUTPUT, "invalid_output",
              problem + "; rejected answer: " + clip(response.content(), REJECTED_ANSWER_CHARS));
        }
        stats.repairs++;
        current =
            current.withAppended(
                ChatMessage.assistant(response.content()),
                ChatMessage.user(
                    REASK
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
    ChatResponse response;
    try {
      response = sendToBackend(request, stats, key);
    } catch (LlmException | InterruptedException | RuntimeException e) {
      if (key != null) {
        cache.unanswered(key);
      }
      throw e;
    }
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

  /** @param key the request's cache key, recorded as sent just before it first goes out; null without a cache */
  private ChatResponse sendToBackend(ChatRequest request, CallStats stats, String key)
      throws LlmException, InterruptedException {
    boolean recorded = key == null || throttle == null; // paid endpoints only: asking the simulator again costs nothing
    int transientFailures = 0;
    long firstRefusal = -1;
    int ceiling = sizer.ceiling(request);
    int maxTokens = throttle != null && throttle.tokenLimited()
        ? sizer.maxTokens(request) : ceiling;
    while (true) {
      ChatRequest sized = request.withMaxTokens(maxTokens);
      concurrency.acquire(); // a slot first: a rate-budget ticket is only taken when the request can go at once
      ChatResponse response = null;
      Throttle.Ticket ticket = null;
      long sent = -1;
      try {
        ticket = throttle == null ? null
            : throttle.acquire(request.estimatePromptTokens(), maxTokens, expectedCompletion(request, maxTokens));
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
            long wait = throttle == null ? Math.max(0, e.retryAfterMillis())
                : throttle.rateLimited(ticket, e, DEFAULT_RATE_LIMIT_WAIT_MS);
            long now = clock.nanoTime();
            firstRefusal = firstRefusal < 0 ? now : firstRefusal;
            if (now + wait * 1_000_000L - firstRefusal > patienceNanos()) {
              throw new LlmException(LlmException.Kind.RATE_LIMITED, "rate_limit_patience_exhausted",
                  "the provider kept answering 429 for longer than --llmRateLimitPatienceMinutes="
                      + config.rateLimitPatienceMinutes() + " (" + stats.rateLimited + " refusals)");
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
              System.err.println("rolesynth: debug: transient failure, retrying: " + e.getMessage());
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
          // Cut off by a limit sized from earlier answers, not by the stage's own: ask again in full.
          maxTokens = ceiling;
          stats.retries++;
          continue;
        }
        return response;
      }
      clock.sleepNanos(backoffMillis(transientFailures) * 1_000_000L);
    }
  }

  private void failed(Throttle.Ticket ticket) {
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

  /** For providers that count usage only: the stage's running mean completion, at most its limit. */
  private double expectedCompletion(ChatRequest request, int maxTokens) {
    return Math.min(maxTokens, expectedCompletion.getOrDefault(request.schemaName(), (double) Math.min(maxTokens, 512)));
  }

  /** Books the tokens the server reports. */
  private void settle(ChatRequest request, ChatResponse response, CallStats stats, int sentMaxTokens) {
    long prompt = response.promptTokens() >= 0 ? response.promptTokens() : request.estimatePromptTokens();
    long completion =
        response.completionTokens() >= 0
            ? response.completionTokens()
            : Math.max(1, response.content().length() / 4);
    stats.promptTokens += prompt;
    stats.completionTokens += completion;
    expectedCompletion.merge(request.schemaName(), (double) completion, (old, now) -> 0.8 * old + 0.2 * now);
    sizer.observe(request.schemaName(), (int) completion, sentMaxTokens, response.truncated());
  }

  /** True once closed and every call thread has ended. */
  boolean closed() {
    return pool.isTerminated();
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
