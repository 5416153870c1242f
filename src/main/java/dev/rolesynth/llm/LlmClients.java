package dev.rolesynth.llm;

import dev.rolesynth.ConfigException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One client per configuration per JVM, shared by every DoFn instance and thread, so that the rate
 * budgets and the concurrency limit hold for the whole worker rather than per instance.
 */
public final class LlmClients {
  private static final Runnable CLOSE_ALL = LlmClients::closeAll;
  private static final Map<LlmConfig, LlmClient> SHARED = new ConcurrentHashMap<>();
  private static final Map<LlmConfig, Integer> USERS = new HashMap<>();
  private static volatile Function<String, CacheStore> cacheStores;

  private LlmClients() {}

  /** How a cache folder becomes a store; set by the Beam layer before the first client is built. */
  public static void useCacheStores(Function<String, CacheStore> factory) {
    cacheStores = factory;
  }

  public static LlmClient shared(LlmConfig config) {
    CallProgress.startInWorker();
    LoaderWatch.whenClosed(CLOSE_ALL);
    synchronized (SHARED) {
      USERS.merge(config, 1, Integer::sum);
      IDLE_SINCE.remove(config);
      return SHARED.computeIfAbsent(config, LlmClients::create);
    }
  }

  /**
   * The caller of {@link #shared} is done with it (a DoFn's teardown). The last one out closes a
   * local engine's client at once, so that the model's memory is given back. Other clients close
   * once nobody has used them for two minutes: long enough to carry what a client learnt (the
   * provider's limits, its pace) from one stage of a job to the next, and short enough that a
   * finished job's threads do not pin its class loader on a session cluster's TaskManager, where
   * every job loads its own copy of everything (a LIMA-Role job's language models alone are 200
   * MB).
   */
  public static void release(LlmConfig config) {
    synchronized (SHARED) {
      Integer n = USERS.merge(config, -1, Integer::sum);
      if (n != null && n <= 0) {
        USERS.remove(config);
        if (config.local()) {
          close(config);
        } else {
          IDLE_SINCE.put(config, System.nanoTime());
          closeWhenIdle();
        }
      }
      if (USERS.isEmpty()) {
        CallProgress.stopInWorker(); // a TaskManager's job is done: its line stops with it
      }
    }
  }

  /** How long an unused client stays open. */
  private static volatile long idleCloseMillis = 120_000;

  private static final Map<LlmConfig, Long> IDLE_SINCE = new HashMap<>();
  private static Thread closer;

  /** One daemon thread while any client is idle; it ends when none is left, so it pins nothing. */
  private static void closeWhenIdle() {
    if (closer != null) {
      return;
    }
    closer =
        new Thread(
            () -> {
              while (true) {
                synchronized (SHARED) {
                  long now = System.nanoTime();
                  IDLE_SINCE
                      .entrySet()
                      .removeIf(
                          e -> {
                            if (now - e.getValue() < idleCloseMillis * 1_000_000) {
                              return false;
                            }
                            close(e.getKey());
                            return true;
                          });
                  if (IDLE_SINCE.isEmpty()) {
                    closer = null;
                    return;
                  }
                }
                try {
                  Thread.sleep(Math.max(10, Math.min(1_000, idleCloseMillis / 4)));
                } catch (InterruptedException e) {
                  synchronized (SHARED) {
                    closer = null; // the next release starts another
                  }
                  return;
                }
              }
            },
            "llm-client-closer");
    closer.setDaemon(true);
    closer.start();
  }

  /** Everything, users or not: the job these classes belong to has left this JVM. */
  static void closeAll() {
    synchronized (SHARED) {
      USERS.clear();
      IDLE_SINCE.clear();
      for (LlmConfig c : List.copyOf(SHARED.keySet())) {
        close(c);
      }
      CallProgress.stopInWorker();
    }
  }

  private static void close(LlmConfig config) {
    LlmClient c = SHARED.remove(config);
    if (c != null) {
      c.close();
    }
  }

  /** For tests, which need not wait two minutes; returns the value it replaces. */
  static long idleCloseMillis(long millis) {
    long before = idleCloseMillis;
    idleCloseMillis = millis;
    return before;
  }

  /** Whether a client for this configuration is open in this JVM (for tests). */
  static boolean open(LlmConfig config) {
    synchronized (SHARED) {
      return SHARED.containsKey(config);
    }
  }

  public static LlmBackend backend(LlmConfig config) {
    String endpoint = config.endpoint();
    if (config.simulated()) {
      return SimulatorProvider.load();
    }
    if (config.local()) {
      if (config.localEngine() == null) {
        throw new ConfigException(
            "--llmEndpoint=" + endpoint + " needs the local engine's settings");
      }
      return new LlamaCppBackend(config.localEngine());
    }
    if (endpoint.startsWith("http://") || endpoint.startsWith("https://")) {
      return new OpenAiHttpBackend(
          endpoint,
          config.model(),
          ApiKeys.resolve(config),
          Duration.ofSeconds(config.timeoutSeconds()));
    }
    throw new ConfigException(
        "--llmEndpoint must be 'sim', an http(s) base URL such as http://127.0.0.1:8000/v1, or gguf:/path/model.gguf, got: "
            + endpoint);
  }

  private static LlmClient create(LlmConfig config) {
    ResponseCache cache = null;
    if (config.cached()) {
      if (cacheStores == null) {
        throw new IllegalStateException(
            "no cache store factory registered for " + config.cacheDir());
      }
      cache = new ResponseCache(cacheStores.apply(config.cacheDir()));
    }
    return new LlmClient(backend(config), config, Clock.SYSTEM, cache);
  }
}
