package dev.rolesynth.llm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The requests a cache's writers have sent, as the first 16 hex digits of their keys, in small
 * {@code sent-*.keys} files beside the answers, written with each flush. A request missing from the
 * cache whose key is listed was paid for before and lost: in flight, or answered but not yet flushed,
 * when a worker or the job died. That is what a run reports as calls paid again.
 */
final class SentKeys {
  static final String PREFIX = "sent-";
  static final String SUFFIX = ".keys";
  private final long[] before;
  private final List<String> pending = new ArrayList<>();

  private SentKeys(long[] before) {
    this.before = before;
  }

  /** Everything the store's writers recorded as sent so far. */
  static SentKeys load(CacheStore store) throws IOException {
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
    long[] sorted = keys.stream().mapToLong(Long::longValue).sorted().toArray();
    return new SentKeys(sorted);
  }

  /** Whether a request with this key was sent before this cache was opened. */
  boolean sentBefore(String key) {
    return Arrays.binarySearch(before, CacheIndex.prefix(key)) >= 0;
  }

  void sent(String key) {
    synchronized (pending) {
      pending.add(key.substring(0, 16));
    }
  }

  /** Writes the keys sent since the last flush as {@code sent-<name>.keys}. */
  void flush(CacheStore store, String name) throws IOException {
    List<String> batch;
    synchronized (pending) {
      if (pending.isEmpty()) {
        return;
      }
      batch = new ArrayList<>(pending);
      pending.clear();
    }
    try {
      store.write(PREFIX + name + SUFFIX, (String.join("\n", batch) + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      synchronized (pending) {
        pending.addAll(0, batch);
      }
      throw e;
    }
  }
}
