package dev.rolesynth.llm;

import java.io.Serializable;

/**
 * Everything needed to build a client, serialisable so it can travel inside a DoFn. It holds the
 * <em>name</em> of the variable or file with the API key, never the key.
 *
 * @param endpoint {@code sim} or an OpenAI-compatible base URL
 * @param maxRequestsPerMinute 0 = unlimited (likewise tokens and concurrency)
 */
public record LlmConfig(
    String endpoint,
    String model,
    String apiKeyEnv,
    String apiKeyFile,
    double maxRequestsPerMinute,
    double maxTokensPerMinute,
    int maxConcurrentRequests,
    int timeoutSeconds,
    int maxAttempts,
    int maxRateLimitRetries,
    int maxRepairs,
    String cacheDir)
    implements Serializable {

  /** Concurrency used when the user sets none: enough to hide latency, few enough to be polite. */
  public static final int DEFAULT_CONCURRENCY_CEILING = 64;

  /** Paid calls are cached when a cache folder is set; the in-process simulator costs nothing to redo. */
  public boolean cached() {
    return cacheDir != null && !cacheDir.isBlank() && !simulated();
  }

  public boolean simulated() {
    return "sim".equals(endpoint);
  }

  public static LlmConfig sim() {
    return new LlmConfig("sim", "sim", "", "", 0, 0, 0, 60, 5, 30, 2, "");
  }
}
