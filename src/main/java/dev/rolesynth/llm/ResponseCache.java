package dev.rolesynth.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.core.Hashes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * Every completed LLM exchange, keyed by a hash of the canonical request (endpoint kind, model,
 * messages, parameters, schema, seed), so that a rerun replays answers instead of paying again.
 *
 * <p>Answers are written as new immutable JSONL segments, each with an index of where every answer
 * sits in it: every second by a background thread and whenever a caller asks ({@link #flush}), so a
 * crash loses at most the last second's answers. Segments are never rewritten, so concurrent
 * writers (threads, JVMs, runs) cannot corrupt each other. A worker loads only the indexes (a few
 * bytes per answer, {@link CacheIndex}) and reads an answer from its segment when it is asked for,
 * so a cache with months of history does not have to fit in every worker's heap. Answers this JVM
 * wrote are dropped from the heap once flushed and read back by byte range too ({@link
 * WrittenIndex}), so a run of millions of calls does not keep them all.
 */
public final class ResponseCache implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ResponseCache.class.getName());
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final CacheStore store;
  private final String writerId = UUID.randomUUID().toString().substring(0, 12);
  private final AtomicInteger segment = new AtomicInteger();
  private final CacheIndex index;
  private final SentKeys sentKeys;

  /**
   * Requests this JVM sent whose answers have not come: asked again meanwhile (a job run again
   * while a worker's client still waits on the last attempt's calls) they are paid twice.
   */
  private final Set<String> open = ConcurrentHashMap.newKeySet();

  /** What this JVM answered and has not flushed yet. */
  private final Map<String, ChatResponse> recent = new ConcurrentHashMap<>();

  /** What this JVM answered and flushed: not in the indexes it loaded. */
  private final WrittenIndex written = new WrittenIndex();

  private final List<String[]> pending = new ArrayList<>(); // {key, line}
  private final ScheduledExecutorService flusher;

  public ResponseCache(CacheStore store) {
    this.store = store;
    try {
      this.index = CacheIndex.load(store);
      this.sentKeys = SentKeys.load(store, writerId);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the response cache", e);
    }
    this.flusher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "llm-cache-flush");
              t.setDaemon(true);
              return t;
            });
    flusher.scheduleWithFixedDelay(this::flushQuietly, 1, 1, TimeUnit.SECONDS);
  }

  /** Answers known when this cache was opened. */
  public int indexed() {
    return index.size();
  }

  /** Answers held in the heap, waiting for the next flush. */
  int unflushed() {
    return recent.size();
  }

  public ChatResponse get(String key) {
    ChatResponse r = recent.get(key);
    if (r != null) {
      return r;
    }
    try {
      JsonNode n = CacheIndex.read(store, written, key);
      if (n == null) {
        n = index.read(store, key);
      }
      return n == null ? null : response(n);
    } catch (IOException | RuntimeException e) {
      // A segment gone since the index was read (expired, compacted away): a miss, paid again.
      LOG.warning("cache entry unreadable, asking again: " + e.getMessage());
      return null;
    }
  }

  /**
   * A request about to be paid for; returns true when it was sent before and its answer never
   * reached the cache (in flight, or not yet flushed, when a worker or the job died): a call paid
   * again.
   */
  public boolean sending(String key) throws InterruptedException {
    boolean again = !open.add(key) || sentKeys.sentBefore(key);
    sentKeys.sending(key);
    return again;
  }

  /** A request sent through {@link #sending} ended without an answer to keep. */
  public void unanswered(String key) {
    open.remove(key);
  }

  public void put(String key, ChatResponse response) {
    open.remove(key);
    if (recent.putIfAbsent(key, response) != null) {
      return;
    }
    ObjectNode n = MAPPER.createObjectNode();
    n.put("key", key);
    n.put("content", response.content());
    n.put("promptTokens", response.promptTokens());
    n.put("completionTokens", response.completionTokens());
    n.put("finishReason", response.finishReason());
    synchronized (pending) {
      pending.add(new String[] {key, n.toString()});
    }
  }

  static ChatResponse response(JsonNode n) {
    return new ChatResponse(
        n.get("content").asText(),
        n.get("promptTokens").asInt(),
        n.get("completionTokens").asInt(),
        n.path("finishReason").asText(""));
  }

  /** Writes what completed since the last flush as a new segment, then its index. */
  public void flush() throws IOException {
    List<String[]> batch;
    synchronized (pending) {
      if (pending.isEmpty()) {
        return;
      }
      batch = new ArrayList<>(pending);
      pending.clear();
    }
    String name = "segment-" + writerId + "-" + String.format("%06d", segment.incrementAndGet());
    try {
      CacheIndex.write(store, name, batch, written);
    } catch (IOException e) {
      synchronized (pending) {
        pending.addAll(0, batch); // try again next time rather than lose them
      }
      throw e;
    }
    batch.forEach(e -> recent.remove(e[0]));
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (IOException | RuntimeException e) {
      LOG.warning("response cache flush failed, will retry: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    flusher.shutdownNow();
    sentKeys.close();
    flushQuietly();
  }

  /**
   * The cache key of one request to one kind of endpoint and model. {@code max_tokens} is left out:
   * it only bounds an answer, and the client sizes it from the answers it has seen, so a rerun may
   * send another value for the same call; answers cut short by it are never kept.
   */
  public static String key(String endpointKind, String model, ChatRequest request) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("endpointKind", endpointKind);
    n.put("model", model);
    ArrayNode messages = n.putArray("messages");
    request
        .messages()
        .forEach(m -> messages.addObject().put("role", m.role()).put("content", m.content()));
    n.put("temperature", request.temperature());
    n.put("seed", request.seed());
    n.put("schemaName", request.schemaName());
    n.set("schema", request.schema());
    try {
      return Hashes.sha256(MAPPER.writeValueAsString(n));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
