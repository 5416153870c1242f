package dev.rolesynth.llm;

import java.io.Serializable;

/**
 * Everything needed to build a client, serialisable so it can travel inside a DoFn. It holds the
 * <em>name</em> of the variable or file with the API key, never the key.
 *
 * @param endpoint {@code sim} or an OpenAI-compatible base URL
 * @param maxRequestsPerMinute 0 = unlimited (likewise tokens and concurrency)
 * @param rateLimitService URL of the {@link RateLimitService} holding the budgets, or empty for per-JVM ones
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
    String cacheDir,
    String rateLimitService,
    LocalEngine localEngine)
    implements Serializable {

  /**
   * Settings of an in-process llama.cpp engine ({@code --llmEndpoint=gguf:PATH}).
   *
   * @param contextSize tokens of context per parallel sequence
   * @param parallel sequences decoded together (the engine's concurrency)
   */
  public record LocalEngine(String modelPath, int contextSize, int threads, int parallel) implements Serializable {}

  public static final String GGUF_PREFIX = "gguf:";

  public boolean local() {
    return endpoint != null && endpoint.startsWith(GGUF_PREFIX);
  }

  /** Without a shared rate-limit service: the budgets live in each JVM. */
  public LlmConfig(String endpoint, String model, String apiKeyEnv, String apiKeyFile, double maxRequestsPerMinute,
      double maxTokensPerMinute, int maxConcurrentRequests, int timeoutSeconds, int maxAttempts, int maxRateLimitRetries,
      int maxRepairs, String cacheDir) {
    this(endpoint, model, apiKeyEnv, apiKeyFile, maxRequestsPerMinute, maxTokensPerMinute, maxConcurrentRequests,
        timeoutSeconds, maxAttempts, maxRateLimitRetries, maxRepairs, cacheDir, "", null);
  }

  /** The same settings running on a local engine. */
  public LlmConfig withLocalEngine(LocalEngine engine) {
    return new LlmConfig(endpoint, model, apiKeyEnv, apiKeyFile, maxRequestsPerMinute, maxTokensPerMinute,
        maxConcurrentRequests, timeoutSeconds, maxAttempts, maxRateLimitRetries, maxRepairs, cacheDir, rateLimitService,
        engine);
  }

  /** The same settings with the budgets kept by the {@link RateLimitService} at {@code url}. */
  public LlmConfig withRateLimitService(String url) {
    return new LlmConfig(endpoint, model, apiKeyEnv, apiKeyFile, maxRequestsPerMinute, maxTokensPerMinute,
        maxConcurrentRequests, timeoutSeconds, maxAttempts, maxRateLimitRetries, maxRepairs, cacheDir, url, localEngine);
  }

  public boolean sharedRateLimit() {
    return rateLimitService != null && !rateLimitService.isBlank();
  }

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
