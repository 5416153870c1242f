package dev.rolesynth.llm;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything needed to build a client, serialisable so it can travel inside a DoFn. It holds the
 * <em>name</em> of the variable or file with the API key, never the key. Build one with {@link
 * #builder}; every setting has a named default.
 *
 * @param endpoint {@code sim}, an OpenAI-compatible base URL or {@code gguf:PATH}
 * @param maxRequestsPerMinute 0 = none configured (likewise tokens and concurrency); limits the
 *     provider states in its headers are adopted either way, the lower one holding
 * @param rateLimitPatienceMinutes how long one call may keep being answered 429 before it becomes a
 *     dead letter
 * @param rateLimitService URL of the {@link RateLimitService} holding the budgets, or empty for
 *     per-JVM ones
 * @param rateLimitToken the job's secret for that service: it travels with the job to the workers,
 *     and is left out of {@link #toString()}
 * @param stageMaxTokens per-stage ceilings for {@code max_tokens}, replacing the stages' own
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
    double rateLimitPatienceMinutes,
    int maxRepairs,
    String cacheDir,
    String rateLimitService,
    String rateLimitToken,
    LocalEngine localEngine,
    TokenAccounting tokenAccounting,
    Map<String, Integer> stageMaxTokens)
    implements Serializable {

  /** How the provider counts tokens against its per-minute limit. */
  public enum TokenAccounting {
    /**
     * The prompt plus {@code max_tokens}, charged when the request arrives (OpenAI's documented
     * rule).
     */
    MAX_TOKENS,
    /** The prompt plus the tokens actually generated. */
    USAGE
  }

  /**
   * Settings of an in-process llama.cpp engine ({@code --llmEndpoint=gguf:PATH}).
   *
   * @param contextSize tokens of context per parallel sequence
   * @param parallel sequences decoded together (the engine's concurrency)
   */
  public record LocalEngine(String modelPath, int contextSize, int threads, int parallel)
      implements Serializable {}

  public static final String GGUF_PREFIX = "gguf:";

  /** Concurrency used when the user sets none: enough to hide latency, few enough to be polite. */
  public static final int DEFAULT_CONCURRENCY_CEILING = 64;

  public LlmConfig {
    stageMaxTokens = new TreeMap<>(stageMaxTokens == null ? Map.of() : stageMaxTokens);
    tokenAccounting = tokenAccounting == null ? TokenAccounting.MAX_TOKENS : tokenAccounting;
    apiKeyEnv = apiKeyEnv == null ? "" : apiKeyEnv;
    apiKeyFile = apiKeyFile == null ? "" : apiKeyFile;
    cacheDir = cacheDir == null ? "" : cacheDir;
    rateLimitService = rateLimitService == null ? "" : rateLimitService;
    rateLimitToken = rateLimitToken == null ? "" : rateLimitToken;
  }

  /** Every setting but the rate-limit service's secret. */
  @Override
  public String toString() {
    return "LlmConfig[endpoint="
        + endpoint
        + ", model="
        + model
        + ", maxRequestsPerMinute="
        + maxRequestsPerMinute
        + ", maxTokensPerMinute="
        + maxTokensPerMinute
        + ", rateLimitService="
        + rateLimitService
        + ", rateLimitToken="
        + (rateLimitToken.isEmpty() ? "" : "[REDACTED]")
        + ", local="
        + local()
        + "]";
  }

  public static Builder builder(String endpoint, String model) {
    return new Builder(endpoint, model);
  }

  public Builder toBuilder() {
    Builder b = new Builder(endpoint, model);
    b.apiKeyEnv = apiKeyEnv;
    b.apiKeyFile = apiKeyFile;
    b.maxRequestsPerMinute = maxRequestsPerMinute;
    b.maxTokensPerMinute = maxTokensPerMinute;
    b.maxConcurrentRequests = maxConcurrentRequests;
    b.timeoutSeconds = timeoutSeconds;
    b.maxAttempts = maxAttempts;
    b.rateLimitPatienceMinutes = rateLimitPatienceMinutes;
    b.maxRepairs = maxRepairs;
    b.cacheDir = cacheDir;
    b.rateLimitService = rateLimitService;
    b.rateLimitToken = rateLimitToken;
    b.localEngine = localEngine;
    b.tokenAccounting = tokenAccounting;
    b.stageMaxTokens = stageMaxTokens;
    return b;
  }

  public boolean local() {
    return endpoint != null && endpoint.startsWith(GGUF_PREFIX);
  }

  /** The same settings running on a local engine. */
  public LlmConfig withLocalEngine(LocalEngine engine) {
    return toBuilder().localEngine(engine).build();
  }

  /** The same settings with the budgets kept by the {@link RateLimitService} at {@code url}. */
  public LlmConfig withRateLimitService(String url, String token) {
    return toBuilder().rateLimitService(url).rateLimitToken(token).build();
  }

  public boolean sharedRateLimit() {
    return !rateLimitService.isBlank();
  }

  /**
   * Paid calls are cached when a cache folder is set; the in-process simulator costs nothing to
   * redo.
   */
  public boolean cached() {
    return !cacheDir.isBlank() && !simulated();
  }

  public boolean simulated() {
    return "sim".equals(endpoint);
  }

  /**
   * Limits, probing and pacing apply to remote endpoints only; a local engine or the simulator has
   * none.
   */
  public boolean throttled() {
    return !simulated() && !local();
  }

  public static LlmConfig sim() {
    return builder("sim", "sim").build();
  }

  /**
   * Named settings with their defaults (the command line's defaults, docs/operations.md,
   * "Options").
   */
  public static final class Builder {
    private final String endpoint;
    private final String model;
    private String apiKeyEnv = "";
    private String apiKeyFile = "";
    private double maxRequestsPerMinute;
    private double maxTokensPerMinute;
    private int maxConcurrentRequests;
    private int timeoutSeconds = 60;
    private int maxAttempts = 5;
    private double rateLimitPatienceMinutes = 30;
    private int maxRepairs = 2;
    private String cacheDir = "";
    private String rateLimitService = "";
    private String rateLimitToken = "";
    private LocalEngine localEngine;
    private TokenAccounting tokenAccounting = TokenAccounting.MAX_TOKENS;
    private Map<String, Integer> stageMaxTokens = Map.of();

    private Builder(String endpoint, String model) {
      this.endpoint = endpoint;
      this.model = model;
    }

    public Builder apiKeyEnv(String v) {
      apiKeyEnv = v;
      return this;
    }

    public Builder apiKeyFile(String v) {
      apiKeyFile = v;
      return this;
    }

    public Builder maxRequestsPerMinute(double v) {
      maxRequestsPerMinute = v;
      return this;
    }

    public Builder maxTokensPerMinute(double v) {
      maxTokensPerMinute = v;
      return this;
    }

    public Builder maxConcurrentRequests(int v) {
      maxConcurrentRequests = v;
      return this;
    }

    public Builder timeoutSeconds(int v) {
      timeoutSeconds = v;
      return this;
    }

    public Builder maxAttempts(int v) {
      maxAttempts = v;
      return this;
    }

    public Builder rateLimitPatienceMinutes(double v) {
      rateLimitPatienceMinutes = v;
      return this;
    }

    public Builder maxRepairs(int v) {
      maxRepairs = v;
      return this;
    }

    public Builder cacheDir(String v) {
      cacheDir = v;
      return this;
    }

    public Builder rateLimitService(String v) {
      rateLimitService = v;
      return this;
    }

    public Builder rateLimitToken(String v) {
      rateLimitToken = v;
      return this;
    }

    public Builder localEngine(LocalEngine v) {
      localEngine = v;
      return this;
    }

    public Builder tokenAccounting(TokenAccounting v) {
      tokenAccounting = v;
      return this;
    }

    public Builder stageMaxTokens(Map<String, Integer> v) {
      stageMaxTokens = v;
      return this;
    }

    public LlmConfig build() {
      return new LlmConfig(
          endpoint,
          model,
          apiKeyEnv,
          apiKeyFile,
          maxRequestsPerMinute,
          maxTokensPerMinute,
          maxConcurrentRequests,
          timeoutSeconds,
          maxAttempts,
          rateLimitPatienceMinutes,
          maxRepairs,
          cacheDir,
          rateLimitService,
          rateLimitToken,
          localEngine,
          tokenAccounting,
          stageMaxTokens);
    }
  }
}
