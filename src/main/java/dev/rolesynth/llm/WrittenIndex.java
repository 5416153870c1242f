package dev.rolesynth.llm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where the answers this JVM has written since it started sit in their segments: an open-addressing
 * table of key prefix → (segment, offset, length), about 40 bytes an answer. Keeping this instead
 * of the answers themselves is what lets a run of millions of calls keep a small heap and still
 * replay its own answers (a Flink task retried after a failure, a call asked twice).
 */
final class WrittenIndex {
  private static final int EMPTY = -1;

  private final List<String> segments = new ArrayList<>();
  private long[] keys = new long[1 << 12];
  private int[] segment = filled(1 << 12);
  private long[] offset = new long[1 << 12];
  private int[] length = new int[1 << 12];
  private int size;

  private static int[] filled(int n) {
    int[] a = new int[n];
    Arrays.fill(a, EMPTY);
    return a;
  }

  synchronized int size() {
    return size;
  }

  /** Records a segment just written: one {prefix, offset, length} per answer, in file order. */
  synchronized void add(String segmentName, long[] prefixes, long[] offsets, int[] lengths) {
    int s = segments.size();
    segments.add(segmentName);
    for (int i = 0; i < prefixes.length; i++) {
      if (2 * (size + 1) > keys.length) {
        grow();
      }
      put(prefixes[i], s, offsets[i], lengths[i]);
      size++;
    }
  }

  /** Every place an answer with this key prefix was written: {segment name, offset, length}. */
  synchronized List<Object[]> find(long prefix) {
    List<Object[]> found = new ArrayList<>(1);
    for (int i = slot(prefix); segment[i] != EMPTY; i = (i + 1) & (keys.length - 1)) {
      if (keys[i] == prefix) {
        found.add(new Object[] {segments.get(segment[i]), offset[i], length[i]});
      }
    }
    return found;
  }

  private int slot(long prefix) {
    long h = prefix * 0x9E3779B97F4A7C15L;
    return (int) (h >>> 40) & (keys.length - 1);
  }

  private void put(long prefix, int s, long off, int len) {
    int i = slot(prefix);
    while (segment[i] != EMPTY) {
      i = (i + 1) & (keys.length - 1);
    }
    keys[i] = prefix;
    segment[i] = s;
    offset[i] = off;
    length[i] = len;
  }

  private void grow() {
    long[] k = keys;
    int[] s = segment;
    long[] o = offset;
    int[] l = length;
    keys = new long[k.length * 2];
    segment = filled(k.length * 2);
    offset = new long[k.length * 2];
    length = new int[k.length * 2];
    for (int i = 0; i < k.length; i++) {
      if (s[i] != EMPTY) {
        put(k[i], s[i], o[i], l[i]);
      }
    }
  }
}
