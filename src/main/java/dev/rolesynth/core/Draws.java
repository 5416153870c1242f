package dev.rolesynth.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * A method's random choices, each drawn from the run seed and what the choice is about (a role's
 * id, a stage, "emotion"), so a rerun, another runner or another shard count makes the same choice
 * for the same record whatever order records come in.
 */
public final class Draws {
  private Draws() {}

  /** One of {@code n} (0 to n - 1). */
  public static int index(int n, long runSeed, String... about) {
    if (n < 1) {
      throw new IllegalArgumentException("nothing to draw from: n = " + n);
    }
    return (int) (Ids.seed(runSeed, about) % n);
  }

  /** One of {@code options}. */
  public static <T> T pick(List<T> options, long runSeed, String... about) {
    return options.get(index(options.size(), runSeed, about));
  }

  /**
   * One of {@code weights}' keys, each as likely as its weight; the map's order is part of the
   * draw, so give one whose order is fixed (a LinkedHashMap, not Map.of).
   */
  public static <T> T weighted(Map<T, Integer> weights, long runSeed, String... about) {
    int total = weights.values().stream().mapToInt(Integer::intValue).sum();
    int at = index(total, runSeed, about);
    for (Map.Entry<T, Integer> w : weights.entrySet()) {
      at -= w.getValue();
      if (at < 0) {
        return w.getKey();
      }
    }
    throw new IllegalStateException("weights changed while drawn: " + weights);
  }

  /** True with probability {@code p} (0 to 1), to a millionth. */
  public static boolean chance(double p, long runSeed, String... about) {
    return index(1_000_000, runSeed, about) < Math.round(p * 1_000_000);
  }

  /** Heads or tails. */
  public static boolean coin(long runSeed, String... about) {
    return index(2, runSeed, about) == 0;
  }

  /**
   * Up to {@code n} of {@code all} other than {@code self} (by key), in an order drawn from the
   * seed and both keys: the same for the same pool and seed, whatever order the runner gives.
   */
  public static <T> List<T> others(
      List<T> all, String self, Function<T, String> key, int n, long runSeed) {
    List<T> out = new ArrayList<>(all.stream().filter(t -> !key.apply(t).equals(self)).toList());
    out.sort(
        Comparator.comparingLong((T t) -> Ids.seed(runSeed, self, key.apply(t)))
            .thenComparing(key));
    return out.subList(0, Math.min(n, out.size()));
  }

  /** Shuffles {@code list} in place. */
  public static void shuffle(List<?> list, long runSeed, String... about) {
    Collections.shuffle(list, random(runSeed, about));
  }

  /** A generator for a sequence of draws about one thing. */
  public static Random random(long runSeed, String... about) {
    return new Random(Ids.seed(runSeed, about));
  }
}
