package dev.rolesynth.llm;

import dev.rolesynth.ConfigException;
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
  private static final Map<LlmConfig, Integer> USERS = new java.util.HashMap<>();
  private static volatile Function<String, CacheStore> cacheStores;

  private LlmClients() {}

  /** How a cache folder becomes a store; set by the Beam layer before the first client is built. */
  public static void useCacheStores(Function<String, CacheStore> factory) {
    cacheStores = factory;
  }

  public static LlmClient shared(LlmConfig config) {
    CallProgress.startInWorker();
    synchronized (SHARED) {
      USERS.merge(config, 1, Integer::sum);
      return SHARED.computeIfAbsent(config, LlmClients::create);
    }
  }

  /**
   * The caller of {@link #shared} is done with it (a DoFn's teardown). The last one out closes a local
   * engine's client, so that the model's memory is given back; HTTP clients stay, being cheap and
   * shared across runs in one JVM.
   */
  public static void release(LlmConfig config) {
    synchronized (SHARED) {
      Integer n = USERS.merge(config, -1, Integer::sum);
      if (n != null && n <= 0 && config.local()) {
        USERS.remove(config);
        LlmClient c = SHARED.remove(config);
        if (c != null) {
          c.close();
        }
      }
      if (USERS.values().stream().allMatch(u -> u <= 0)) {
        CallProgress.stopInWorker(); // a TaskManager's job is done: its line stops with it
      }
    }
  }

  public static LlmBackend backend(LlmConfig config) {
    String endpoint = config.endpoint();
    if (config.simulated()) {
      return SimulatorProvider.load();
    }
    if (config.local()) {
      if (config.localEngine() == null) {
        throw new ConfigException("--llmEndpoint=" + endpoint + " needs the local engine's settings");
      }
      return new LlamaCppBackend(config.localEngine());
    }
    if (endpoint.startsWith("http://") || endpoint.startsWith("https://")) {
      return new OpenAiHttpBackend(
          endpoint, config.model(), ApiKeys.resolve(config), Duration.ofSeconds(config.timeoutSeconds()));
    }
    throw new ConfigException(
        "--llmEndpoint must be 'sim', an http(s) base URL such as http://127.0.0.1:8000/v1, or gguf:/path/model.gguf, got: "
            + endpoint);
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
