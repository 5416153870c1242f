package dev.rolesynth.llm;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import dev.rolesynth.core.Hashes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.Test;

/**
 * The cache a worker opens holds indexes, not answers; old segments expire and small ones are
 * merged.
 */
public class ResponseCacheTest {
  /** Files in memory, with the times they were written and how often each was read. */
  static final class MemoryStore implements CacheStore {
    final Map<String, byte[]> files = new TreeMap<>();
    final Map<String, Long> times = new TreeMap<>();
    final Map<String, Integer> wholeReads = new TreeMap<>();
    long now = 1_000_000;

    @Override
    public List<String> list() {
      return new ArrayList<>(files.keySet());
    }

    @Override
    public byte[] read(String name) throws IOException {
      wholeReads.merge(name, 1, Integer::sum);
      byte[] b = files.get(name);
      if (b == null) {
        throw new IOException("no " + name);
      }
      return b;
    }

    @Override
    public byte[] read(String name, long offset, int length) throws IOException {
      byte[] b = files.get(name);
      if (b == null) {
        throw new IOException("no " + name);
      }
      return Arrays.copyOfRange(b, (int) offset, (int) offset + length);
    }

    @Override
    public void write(String name, byte[] data) {
      files.put(name, data);
      times.put(name, now);
    }

    @Override
    public Map<String, Long> modified() {
      return new TreeMap<>(times);
    }

    @Override
    public void delete(List<String> names) {
      names.forEach(
          n -> {
            files.remove(n);
            times.remove(n);
          });
    }
  }

  private static String key(int i) {
    return Hashes.sha256("request " + i);
  }

  private static ChatResponse answer(int i) {
    return new ChatResponse("answer " + i, 10, i, "stop");
  }

  @Test
  public void aNewWorkerReadsIndexesAndFetchesOnlyTheAnswersItIsAskedFor() throws Exception {
    MemoryStore store = new MemoryStore();
    try (ResponseCache first = new ResponseCache(store)) {
      for (int i = 0; i < 50; i++) {
        first.put(key(i), answer(i));
        if (i % 10 == 9) {
          first.flush();
        }
      }
    }
    assertEquals(10, store.files.size()); // five segments, five indexes
    store.wholeReads.clear();
    try (ResponseCache second = new ResponseCache(store)) {
      assertEquals(50, second.indexed());
      assertEquals("answer 17", second.get(key(17)).content());
      assertEquals(17, second.get(key(17)).completionTokens());
      assertNull(second.get(key(99)));
    }
    // Opening read the five indexes whole, and no segment: answers are read by their byte ranges.
    store.wholeReads.keySet().forEach(n -> assertTrue(n, n.endsWith(".idx")));
    assertEquals(5, store.wholeReads.size());
  }

  @Test
  public void flushedAnswersLeaveTheHeapAndAreReadBackFromTheirSegment() throws Exception {
    MemoryStore store = new MemoryStore();
    try (ResponseCache cache = new ResponseCache(store)) {
      for (int i = 0; i < 5000; i++) {
        cache.put(key(i), answer(i));
        if (i % 1000 == 999) {
          cache.flush();
        }
      }
      assertEquals("nothing is held once flushed", 0, cache.unflushed());
      store.wholeReads.clear();
      assertEquals("answer 1234", cache.get(key(1234)).content());
      assertEquals(4999, cache.get(key(4999)).completionTokens());
      assertNull(cache.get(key(5000)));
      assertTrue("read by byte range, not whole segments", store.wholeReads.isEmpty());
    }
  }

  @Test
  public void aSegmentWithoutItsIndexIsReadOnceAndATornTailIsSkipped() throws Exception {
    MemoryStore store = new MemoryStore();
    String line =
        "{\"key\":\""
            + key(1)
            + "\",\"content\":\"old\",\"promptTokens\":1,\"completionTokens\":2,\"finishReason\":\"stop\"}";
    store.write(
        "segment-old-000001.jsonl", (line + "\n{\"key\": \"torn").getBytes(StandardCharsets.UTF_8));
    try (ResponseCache cache = new ResponseCache(store)) {
      assertEquals(1, cache.indexed());
      assertEquals("old", cache.get(key(1)).content());
    }
  }

  @Test
  public void oldSegmentsExpireAndSmallOnesAreMergedIntoOne() throws Exception {
    MemoryStore store = new MemoryStore();
    try (ResponseCache a = new ResponseCache(store)) {
      a.put(key(1), answer(1));
      a.flush();
    }
    store.now += 40L * 86_400_000L; // forty days later
    try (ResponseCache b = new ResponseCache(store)) {
      for (int i = 2; i < 8; i++) {
        b.put(key(i), answer(i));
        b.flush();
      }
    }
    assertEquals(
        "the forty-day-old segment and its index",
        2,
        CacheMaintenance.expire(store, 30, store.now));
    assertEquals(6, CacheMaintenance.compact(store, "run-7"));
    assertEquals(List.of("compact-run-7.idx", "compact-run-7.jsonl"), store.list());
    try (ResponseCache c = new ResponseCache(store)) {
      assertEquals(6, c.indexed());
      assertNull("expired", c.get(key(1)));
      assertEquals("answer 5", c.get(key(5)).content());
    }
    assertEquals("keep forever", 0, CacheMaintenance.expire(store, 0, store.now * 10));
  }

  @Test
  public void anAnswerWhoseSegmentWasRemovedSinceIsAMissNotAFailure() throws Exception {
    MemoryStore store = new MemoryStore();
    try (ResponseCache a = new ResponseCache(store)) {
      a.put(key(1), answer(1));
    }
    try (ResponseCache b = new ResponseCache(store)) {
      store.files.keySet().removeIf(n -> n.endsWith(".jsonl"));
      assertNull(b.get(key(1)));
    }
  }
}
