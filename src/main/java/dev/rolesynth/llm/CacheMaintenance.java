package dev.rolesynth.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Keeps a cache that every night writes to from growing without bound. Before a run, segments older
 * than the retention are deleted: what reruns need (a failed night retried the next morning, a
 * backfill of last week) is younger than that. After a succeeded run, the many small segments the
 * workers wrote (one a second each) are merged into one, so that the next run lists and indexes a
 * few files, not thousands.
 */
public final class CacheMaintenance {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** How a file recording sent requests ends (stores list these beside segments and indexes). */
  public static final String SENT_SUFFIX = SentKeys.SUFFIX;

  private CacheMaintenance() {}

  /** The files recording sent requests (see {@link SentKeys}) the cache holds now. */
  public static Set<String> sentFiles(CacheStore store) throws IOException {
    Set<String> out = new TreeSet<>();
    for (String n : store.list()) {
      if (n.startsWith(SentKeys.PREFIX) && n.endsWith(SentKeys.SUFFIX)) {
        out.add(n);
      }
    }
    return out;
  }

  /**
   * Requests a run paid for again: each key its workers recorded as sent (in files not among {@code
   * before}, the files there when it started) that was sent before, by this run or an earlier one
   * that died (in flight, or answered but not yet flushed, when a worker or the job was lost).
   */
  public static long repeatedSince(CacheStore store, Set<String> before) throws IOException {
    Set<String> earlier = new HashSet<>();
    Map<String, Integer> now = new HashMap<>();
    for (String n : sentFiles(store)) {
      for (String key : new String(store.read(n), StandardCharsets.UTF_8).split("\n")) {
        if (key.length() != 16) {
          continue;
        }
        if (before.contains(n)) {
          earlier.add(key);
        } else {
          now.merge(key, 1, Integer::sum);
        }
      }
    }
    long repeated = 0;
    for (Map.Entry<String, Integer> e : now.entrySet()) {
      repeated += e.getValue() - 1 + (earlier.contains(e.getKey()) ? 1 : 0);
    }
    return repeated;
  }

  /** Answers the cache holds (an answer written twice, by two workers, counts twice). */
  public static long answers(CacheStore store) throws IOException {
    return CacheIndex.load(store).size();
  }

  /**
   * Deletes segments (and their indexes) last written more than {@code days} ago; returns how many
   * files.
   */
  public static int expire(CacheStore store, int days, long nowMillis) throws IOException {
    if (days <= 0) {
      return 0;
    }
    long cutoff = nowMillis - days * 86_400_000L;
    List<String> old = new ArrayList<>();
    store
        .modified()
        .forEach(
            (name, at) -> {
              if (at > 0 && at < cutoff) {
                old.add(name);
              }
            });
    store.delete(old);
    return old.size();
  }

  /**
   * Merges the indexed small segments ({@code segment-*}) into one {@code compact-<tag>} segment
   * and deletes them; a key written twice is kept once. Returns the number of segments merged.
   */
  public static int compact(CacheStore store, String tag) throws IOException {
    List<String> names = store.list();
    List<String> small = new ArrayList<>();
    for (String n : names) {
      if (n.startsWith("segment-")
          && n.endsWith(".jsonl")
          && names.contains(n.substring(0, n.length() - 6) + ".idx")) {
        small.add(n.substring(0, n.length() - 6));
      }
    }
    if (small.size() < 2) {
      return 0;
    }
    Map<String, String> entries = new LinkedHashMap<>();
    for (String s : small) {
      for (String line : new String(store.read(s + ".jsonl"), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        try {
          JsonNode n = MAPPER.readTree(line);
          entries.putIfAbsent(n.get("key").asText(), line);
        } catch (IOException | RuntimeException e) {
          // a torn tail line: dropped, as readers drop it
        }
      }
    }
    List<String[]> merged = new ArrayList<>();
    entries.forEach((k, line) -> merged.add(new String[] {k, line}));
    CacheIndex.write(store, "compact-" + tag, merged, new WrittenIndex());
    List<String> gone = new ArrayList<>();
    for (String s : small) {
      gone.add(
          s + ".idx"); // the index first: a reader that lists in between scans the segment instead
      gone.add(s + ".jsonl");
    }
    store.delete(gone);
    return small.size();
  }
}
