package dev.rolesynth.llm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * The requests a cache's writers have paid for, as the first 16 hex digits of their keys, in small
 * {@code sent-*.keys} files beside the answers. A key is written before its request goes (its
 * sender waits for the next group write, at most {@link #EVERY_MILLIS}: nothing beside a model's
 * seconds), so a request missing from the cache whose key is listed was paid for and lost, in
 * flight or answered but not yet flushed, when a worker or the job died. That is what a run reports
 * as calls paid again.
 */
final class SentKeys implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(SentKeys.class.getName());
  static final String PREFIX = "sent-";
  static final String SUFFIX = ".keys";
  static final long EVERY_MILLIS = 100;
  private final CacheStore store;
  private final String writer;
  private final long[] before;
  private final AtomicInteger files = new AtomicInteger();
  private List<String> batch = new ArrayList<>();
  private CompletableFuture<Void> written = new CompletableFuture<>();
  private final ScheduledExecutorService flusher;

  private SentKeys(CacheStore store, String writer, long[] before) {
    this.store = store;
    this.writer = writer;
    this.before = before;
    this.flusher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "llm-cache-sent-keys");
              t.setDaemon(true);
              return t;
            });
    flusher.scheduleWithFixedDelay(this::write, EVERY_MILLIS, EVERY_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Everything the store's writers recorded as sent so far. */
  static SentKeys load(CacheStore store, String writer) throws IOException {
    List<Long> keys = new ArrayList<>();
    for (String name : store.list()) {
      if (name.startsWith(PREFIX) && name.endsWith(SUFFIX)) {
        for (String line : new String(store.read(name), StandardCharsets.UTF_8).split("\n")) {
          if (line.length() == 16) {
            keys.add(Long.parseUnsignedLong(line, 16));
          }
        }
      }
    }
    return new SentKeys(store, writer, keys.stream().mapToLong(Long::longValue).sorted().toArray());
  }

  /** Whether a request with this key was sent before this cache was opened. */
  boolean sentBefore(String key) {
    return Arrays.binarySearch(before, CacheIndex.prefix(key)) >= 0;
  }

  /**
   * Records that a request is about to be sent, and waits (briefly, bounded) until that is written.
   */
  void sending(String key) throws InterruptedException {
    CompletableFuture<Void> done;
    synchronized (this) {
      batch.add(key.substring(0, 16));
      done = written;
    }
    try {
      done.get(2, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // The store is slow or failing: the request goes all the same; only the count of repeats may
      // fall short.
    }
  }

  /** Writes the keys gathered since the last write as one {@code sent-<writer>-<n>.keys} file. */
  private void write() {
    List<String> keys;
    CompletableFuture<Void> done;
    synchronized (this) {
      if (batch.isEmpty()) {
        return;
      }
      keys = batch;
      done = written;
      batch = new ArrayList<>();
      written = new CompletableFuture<>();
    }
    try {
      store.write(
          PREFIX + writer + "-" + String.format("%06d", files.incrementAndGet()) + SUFFIX,
          (String.join("\n", keys) + "\n").getBytes(StandardCharsets.UTF_8));
      done.complete(null);
    } catch (IOException | RuntimeException e) {
      LOG.warning("cannot record sent requests in the cache: " + e.getMessage());
      done.completeExceptionally(e);
    }
  }

  @Override
  public void close() {
    flusher.shutdownNow();
    write();
  }
}
