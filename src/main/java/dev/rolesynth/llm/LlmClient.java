package dev.rolesynth.llm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.core.Hashes;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Wraps a {@link LlmBackend} with everything a paid endpoint needs: a {@link Throttle} that paces
 * requests and tokens within the provider's limits (configured, stated in its headers, or
 * discovered from its 429s), calls in flight sized from the rate and the latency ({@link
 * InFlightLimit}), the request cache, retries ({@link PacedSend}: a 429 never loses a call), and
 * for structured stages JSON Schema validation with re-asks that show the model its mistake.
 *
 * <p>One instance is shared by every DoFn of a JVM (see {@link LlmClients}), so the budgets are per
 * JVM, or shared by every worker of a job through its {@link RateLimitService}.
 */
public final class LlmClient implements AutoCloseable {
  private final LlmBackend backend;
  private final LlmConfig config;
  private final Clock clock;
  private final Throttle throttle;
  private final InFlightLimit concurrency;
  private final AtomicInteger outstanding = new AtomicInteger();
  private final PacedSend sender;
  private final CallThreads threads;
  private final ResponseCache cache;

  public LlmClient(LlmBackend backend, LlmConfig config, Clock clock) {
    this(backend, config, clock, null);
  }

  /**
   * @param cache answers to replay and to keep, or null for none
   */
  public LlmClient(LlmBackend backend, LlmConfig config, Clock clock, ResponseCache cache) {
    this(
        backend,
        config,
        clock,
        cache,
        line -> System.err.println(line)); // System.err as it is when a line is printed
  }

  /**
   * @param log where progress lines about rate limits go
   */
  public LlmClient(
      LlmBackend backend,
      LlmConfig config,
      Clock clock,
      ResponseCache cache,
      Consumer<String> log) {
    this.backend = backend;
    this.cache = cache;
    this.config = config;
    this.clock = clock;
    this.throttle =
        config.throttled() ? new Throttle(config, clock, budgets(config, clock), log) : null;
    if (throttle != null) {
      CallProgress.global().watch(throttle);
    }
    int cap =
        config.maxConcurrentRequests() > 0
            ? config.maxConcurrentRequests()
            : throttle == null
                ? LlmConfig.DEFAULT_CONCURRENCY_CEILING
                : InFlightLimit.defaultCap(Runtime.getRuntime().maxMemory());
    this.concurrency = new InFlightLimit(cap, clock, this::requestsPerSecond, throttle != null);
    this.sender = new PacedSend(backend, config, clock, throttle, concurrency, cache);
    this.threads = new CallThreads(concurrency);
    CallProgress.global().watch(this);
  }

  /** The rate in force, per second, for sizing the calls in flight; NaN while none is. */
  private double requestsPerSecond() {
    return throttle == null ? Double.NaN : throttle.requestsPerSecondInForce();
  }

  /**
   * Whether this JVM wants more calls submitted: fewer are outstanding than the in-flight limit and
   * a margin to keep the rate budget fed. A caller with nothing of its own to wait for should come
   * back shortly; one that keeps submitting regardless only queues calls in memory.
   */
  public boolean wantsMore() {
    double limit = concurrency.limit();
    return outstanding.get() < limit + Math.max(CallThreads.BEYOND_SLOTS, limit / 4);
  }

  /** Calls submitted and not finished. */
  public int outstanding() {
    return outstanding.get();
  }

  /**
   * Why calls go at the pace they do, for the progress line: limit-bound (waiting on the rate
   * budget), latency-bound (every slot busy: in flight × seconds an answer takes), or bound by the
   * pipeline itself (CPU, or records waiting on their own earlier calls, such as a dialogue's
   * turns).
   */
  public String pace() {
    int waiting = throttle == null ? 0 : throttle.waiting();
    int open = concurrency.open();
    String slots =
        open
            + " in flight × "
            + String.format(Locale.ROOT, "%.1f", concurrency.latencySeconds())
            + " s";
    String why = throttle == null ? null : throttle.waitingFor();
    if (why != null
        && (waiting > 0
            && (Double.isFinite(throttle.requestsPerMinute()) || !why.equals("limit-bound")))) {
      return why + " (" + slots + ")";
    }
    if (concurrency.inUse() >= concurrency.limit()) {
      return "latency-bound (" + slots + ", the most " + (int) concurrency.limit() + ")";
    }
    return "pipeline-bound ("
        + slots
        + ": fewer calls ready than the limit allows: CPU, or records waiting on their earlier calls)";
  }

  /** This JVM's own budgets, or shares of ones kept by the job's rate-limit service. */
  private static Throttle.Budgets budgets(LlmConfig config, Clock clock) {
    if (config.sharedRateLimit()) {
      // Named by a hash: the endpoint URL may carry credentials, and the name travels to the
      // service.
      String endpoint = Hashes.sha256(config.endpoint() + "|" + config.model()).substring(0, 16);
      return (kind, perMinute) ->
          new RemoteRateBudget(
              OpenAiHttpBackend.root(),
              config.rateLimitService(),
              config.rateLimitToken(),
              kind + ":" + endpoint,
              perMinute,
              clock);
    }
    return (kind, perMinute) -> new SmoothRateLimiter(perMinute, clock);
  }

  /**
   * True once the provider refused the key several times in a row (revoked, wrong, out of credit):
   * the run should stop rather than dead-letter the rest of the pool one 401 at a time.
   */
  public boolean keyRefused() {
    return sender.keyRefused();
  }

  /** The pacing in force, or null for endpoints without limits (the simulator, a local engine). */
  public Throttle throttle() {
    return throttle;
  }

  /**
   * Runs {@link #complete} on the client's call threads. The future completes exceptionally only
   * when the call's thread broke (out of memory); cancelling it takes back a call not yet sent.
   */
  public CompletableFuture<CallOutcome> submit(ChatRequest request, AnswerCheck check) {
    outstanding.incrementAndGet();
    CompletableFuture<CallOutcome> result = new CompletableFuture<>();
    Future<?> task;
    try {
      task =
          threads.submit(
              () -> {
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
                }
              });
    } catch (RuntimeException e) { // rejected: the client is closing
      outstanding.decrementAndGet();
      throw e;
    }
    // A caller that gives up (a job cancelled) takes the call back: a queued one is never sent.
    result.whenComplete(
        (o, e) -> {
          if (result.isCancelled()) {
            task.cancel(true);
          }
        });
    return result;
  }

  /** How much of a rejected answer a dead letter keeps. */
  static final int REJECTED_ANSWER_CHARS = 2000;

  private static String clip(String s, int max) {
    return s == null
        ? ""
        : s.length() <= max
            ? s
            : s.substring(0, max) + " … (" + (s.length() - max) + " more characters)";
  }

  /** How a re-ask after a rejected answer begins. */
  public static final String REASK = "Your answer was rejected: ";

  /**
   * One logical call: sends, retries, validates and re-asks until an answer passes or attempts run
   * out.
   */
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
          throw new LlmException(
              LlmException.Kind.INVALID_OUTPUT,
              "invalid_output",
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
      // A stage check or backend that throws must still end its call, or its caller would wait
      // forever.
      return new CallOutcome(
          null,
          null,
          new LlmException(LlmException.Kind.PERMANENT, "internal_error", e.toString()),
          stats);
    }
  }

  /** One answer from the server, after waiting for budget and retrying what deserves a retry. */
  private ChatResponse send(ChatRequest request, CallStats stats)
      throws LlmException, InterruptedException {
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
      response = sender.send(request, stats, key);
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
  public void flushCache() throws IOException {
    if (cache != null) {
      cache.flush();
    }
  }

  /** True once closed and every call thread has ended. */
  boolean closed() {
    return threads.terminated();
  }

  @Override
  public void close() {
    threads.shutdownNow();
    if (cache != null) {
      cache.close();
    }
    backend.close();
  }
}
