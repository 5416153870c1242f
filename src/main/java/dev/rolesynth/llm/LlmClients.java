package dev.rolesynth.llm;

import dev.rolesynth.ConfigException;
import dev.rolesynth.sim.SimulatedLlm;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One client per configuration per JVM, shared by every DoFn instance and thread, so that the rate
 * budgets and the concurrency limit hold for the whole worker rather than per instance.
 */
public final class LlmClients {
  private static final Map<LlmConfig, LlmClient> SHARED = new ConcurrentHashMap<>();
  private static volatile Function<String, CacheStore> cacheStores;

  private LlmClients() {}

  /** How a cache folder becomes a store; set by the Beam layer before the first client is built. */
  public static void useCacheStores(Function<String, CacheStore> factory) {
    cacheStores = factory;
  }

  public static LlmClient shared(LlmConfig config) {
    return SHARED.computeIfAbsent(config, LlmClients::create);
  }

  public static LlmBackend backend(LlmConfig config) {
    String endpoint = config.endpoint();
    if (config.simulated()) {
      return new SimulatedLlm();
    }
    if (endpoint.startsWith("http://") || endpoint.startsWith("https://")) {
      return new OpenAiHttpBackend(
          endpoint, config.model(), ApiKeys.resolve(config), Duration.ofSeconds(config.timeoutSeconds()));
    }
    throw new ConfigException(
        "--llmEndpoint must be 'sim' or an http(s) base URL such as http://127.0.0.1:8000/v1, got: " + endpoint);
  }

  private static LlmClient create(LlmConfig config) {
    ResponseCache cache = null;
    if (config.cached()) {
      if (cacheStores == null) {
        throw new IllegalStateException("no cache store factory registered for " + config.cacheDir());
      }
      cache = new ResponseCache(cacheStores.apply(config.cacheDir()));
    }
    return new LlmClient(backend(config), config, Clock.SYSTEM, cache);
  }
}
