package dev.rolesynth.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Every record of a run sorted by id, with the records of each name indexed, so that "all but this
 * one and its namesakes" is a view found in logarithmic time, not a copy per record (for a pool of
 * 100,000 roles a copy each would cost 10^10 steps).
 */
public final class Everyone<T> {
  private final List<T> sorted;
  private final List<String> ids;
  private final Map<String, List<Integer>> byName = new HashMap<>();

  public Everyone(List<T> all, Function<T, String> id, Function<T, String> name) {
    sorted = new ArrayList<>(all);
    sorted.sort(Comparator.comparing(id));
    ids = sorted.stream().map(id).toList();
    for (int i = 0; i < sorted.size(); i++) {
      byName.computeIfAbsent(name.apply(sorted.get(i)), k -> new ArrayList<>()).add(i);
    }
  }

  /** The records other than {@code id} and those named {@code name}, in id order. */
  public Others without(String id, String name) {
    TreeSet<Integer> skip = new TreeSet<>(byName.getOrDefault(name, List.of()));
    int at = Collections.binarySearch(ids, id);
    if (at >= 0) {
      skip.add(at);
    }
    return new Others(skip.stream().mapToInt(Integer::intValue).toArray());
  }

  /** A view of the records left in. */
  public final class Others {
    private final int[] skipped; // ascending positions left out

    Others(int[] skipped) {
      this.skipped = skipped;
    }

    public int size() {
      return sorted.size() - skipped.length;
    }

    /** The i-th record left in: i plus the skipped positions at or before where it lands. */
    public T get(int i) {
      int at = i;
      for (int s : skipped) {
        if (s <= at) {
          at++;
        } else {
          break;
        }
      }
      return sorted.get(at);
    }
  }
}
