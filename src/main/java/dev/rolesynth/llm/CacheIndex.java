package dev.rolesynth.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Where each cached answer sits: for every answer of every segment, the first 64 bits of its key,
 * its segment and its byte range, in sorted arrays (24 bytes an answer). A segment {@code
 * NAME.jsonl} has its index in {@code NAME.idx}, one {@code key-prefix offset length} line per
 * answer, written after the segment; a segment without one (written before indexes existed, or cut
 * off by a crash between the two writes) is indexed by reading it once.
 */
final class CacheIndex {
  private static final Logger LOG = Logger.getLogger(CacheIndex.class.getName());
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final List<String> segments;
  private final long[] keys;
  private final int[] segment;
  private final long[] offset;
  private final int[] length;

  private CacheIndex(
      List<String> segments, long[] keys, int[] segment, long[] offset, int[] length) {
    this.segments = segments;
    this.keys = keys;
    this.segment = segment;
    this.offset = offset;
    this.length = length;
  }

  int size() {
    return keys.length;
  }

  static long prefix(String key) {
    return Long.parseUnsignedLong(key.substring(0, 16), 16);
  }

  static CacheIndex load(CacheStore store) throws IOException {
    List<String> names = store.list();
    Set<String> indexes = new HashSet<>();
    List<String> segments = new ArrayList<>();
    for (String n : names) {
      if (n.endsWith(".idx")) {
        indexes.add(n.substring(0, n.length() - 4));
      } else if (n.endsWith(".jsonl")) {
        segments.add(n.substring(0, n.length() - 6));
      }
    }
    Builder b = new Builder();
    for (int s = 0; s < segments.size(); s++) {
      String name = segments.get(s);
      if (indexes.contains(name)) {
        for (String line :
            new String(store.read(name + ".idx"), StandardCharsets.UTF_8).split("\n")) {
          String[] f = line.split(" ");
          if (f.length == 3) {
            b.add(
                Long.parseUnsignedLong(f[0], 16), s, Long.parseLong(f[1]), Integer.parseInt(f[2]));
          }
        }
      } else {
        scan(store.read(name + ".jsonl"), name, s, b);
      }
    }
    return b.build(segments.stream().map(n -> n + ".jsonl").toList());
  }

  /** Indexes a segment that has no index of its own, line by line. */
  private static void scan(byte[] data, String name, int s, Builder b) {
    int start = 0;
    for (int i = 0; i <= data.length; i++) {
      if (i == data.length || data[i] == '\n') {
        if (i > start) {
          try {
            JsonNode n = MAPPER.readTree(data, start, i - start);
            b.add(prefix(n.get("key").asText()), s, start, i - start);
          } catch (IOException | RuntimeException e) {
            // A torn line can only be the tail of a segment cut short by a crash: skip it.
            LOG.warning("skipping unreadable cache line in " + name);
          }
        }
        start = i + 1;
      }
    }
  }

  /** The cached answer for {@code key}, or null. */
  JsonNode read(CacheStore store, String key) throws IOException {
    long p = prefix(key);
    int i = Arrays.binarySearch(keys, p);
    if (i < 0) {
      return null;
    }
    while (i > 0 && keys[i - 1] == p) {
      i--;
    }
    for (; i < keys.length && keys[i] == p; i++) {
      JsonNode n = MAPPER.readTree(store.read(segments.get(segment[i]), offset[i], length[i]));
      if (n.path("key").asText().equals(key)) {
        return n;
      }
    }
    return null;
  }

  /**
   * Writes a segment of {key, JSON line} entries, then its index, and notes both in {@code
   * written}.
   */
  static void write(CacheStore store, String name, List<String[]> entries, WrittenIndex written)
      throws IOException {
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    StringBuilder idx = new StringBuilder();
    long[] prefixes = new long[entries.size()];
    long[] offsets = new long[entries.size()];
    int[] lengths = new int[entries.size()];
    for (int i = 0; i < entries.size(); i++) {
      String[] e = entries.get(i);
      byte[] line = e[1].getBytes(StandardCharsets.UTF_8);
      prefixes[i] = prefix(e[0]);
      offsets[i] = data.size();
      lengths[i] = line.length;
      idx.append(e[0], 0, 16)
          .append(' ')
          .append(data.size())
          .append(' ')
          .append(line.length)
          .append('\n');
      data.write(line);
      data.write('\n');
    }
    store.write(name + ".jsonl", data.toByteArray());
    store.write(name + ".idx", idx.toString().getBytes(StandardCharsets.UTF_8));
    written.add(name + ".jsonl", prefixes, offsets, lengths);
  }

  /** The answer for {@code key} among those this JVM wrote, or null. */
  static JsonNode read(CacheStore store, WrittenIndex written, String key) throws IOException {
    for (Object[] at : written.find(prefix(key))) {
      JsonNode n = MAPPER.readTree(store.read((String) at[0], (Long) at[1], (Integer) at[2]));
      if (n.path("key").asText().equals(key)) {
        return n;
      }
    }
    return null;
  }

  private static final class Builder {
    private long[] keys = new long[1024];
    private int[] segment = new int[1024];
    private long[] offset = new long[1024];
    private int[] length = new int[1024];
    private int n;

    void add(long key, int s, long off, int len) {
      if (n == keys.length) {
        keys = Arrays.copyOf(keys, 2 * n);
        segment = Arrays.copyOf(segment, 2 * n);
        offset = Arrays.copyOf(offset, 2 * n);
        length = Arrays.copyOf(length, 2 * n);
      }
      keys[n] = key;
      segment[n] = s;
      offset[n] = off;
      length[n] = len;
      n++;
    }

    CacheIndex build(List<String> segments) {
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> Long.compare(keys[a], keys[b]));
      long[] k = new long[n];
      int[] s = new int[n];
      long[] o = new long[n];
      int[] l = new int[n];
      for (int i = 0; i < n; i++) {
        k[i] = keys[order[i]];
        s[i] = segment[order[i]];
        o[i] = offset[order[i]];
        l[i] = length[order[i]];
      }
      return new CacheIndex(segments, k, s, o, l);
    }
  }
}
