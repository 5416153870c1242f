package dev.rolesynth.pipeline;

import dev.rolesynth.llm.CallStats;
import dev.rolesynth.llm.Throttle;
import java.io.Serializable;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.metrics.Metrics;

/** The LLM calls' Beam metrics, read back by the manifest and the progress line. */
final class CallMetrics implements Serializable {
  private final Counter requests = Metrics.counter(CallLlm.METRICS, "llm.requests");
  private final Counter retries = Metrics.counter(CallLlm.METRICS, "llm.retries");
  private final Counter rateLimited = Metrics.counter(CallLlm.METRICS, "llm.rateLimited");
  private final Counter repairs = Metrics.counter(CallLlm.METRICS, "llm.repairs");
  private final Counter promptTokens = Metrics.counter(CallLlm.METRICS, "llm.promptTokens");
  private final Counter completionTokens = Metrics.counter(CallLlm.METRICS, "llm.completionTokens");
  private final Counter failedCalls = Metrics.counter(CallLlm.METRICS, "llm.failedCalls");
  private final Counter calls = Metrics.counter(CallLlm.METRICS, "llm.calls");
  private final Counter cacheHits = Metrics.counter(CallLlm.METRICS, "llm.cacheHits");
  private final Counter repeated = Metrics.counter(CallLlm.METRICS, "llm.repeated");
  private final Counter throttledMillis = Metrics.counter(CallLlm.METRICS, "llm.throttledMillis");
  private final Gauge requestsPerMinute =
      Metrics.gauge(CallLlm.METRICS, "llm.pace.requestsPerMinute");
  private final Gauge tokensPerMinute = Metrics.gauge(CallLlm.METRICS, "llm.pace.tokensPerMinute");

  /**
   * One finished call: what it cost, and the pace in force ({@code throttle} null when unlimited).
   */
  void record(CallStats s, Throttle throttle) {
    calls.inc();
    requests.inc(s.requests);
    retries.inc(s.retries);
    rateLimited.inc(s.rateLimited);
    repairs.inc(s.repairs);
    cacheHits.inc(s.cacheHits);
    repeated.inc(s.repeated);
    throttledMillis.inc(s.throttledNanos / 1_000_000);
    promptTokens.inc(s.promptTokens);
    completionTokens.inc(s.completionTokens);
    if (throttle != null) {
      requestsPerMinute.set(pace(throttle.requestsPerMinute()));
      tokensPerMinute.set(pace(throttle.tokensPerMinute()));
    }
  }

  void failed() {
    failedCalls.inc();
  }

  /** A pace as a gauge value: -1 for unlimited. */
  private static long pace(double perMinute) {
    return Double.isFinite(perMinute) ? Math.round(perMinute) : -1;
  }
}
