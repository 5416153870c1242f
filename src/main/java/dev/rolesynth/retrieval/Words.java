package dev.rolesynth.retrieval;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How much of one text another carries, word by word: what checks that an answer is (not) given
 * use.
 */
public final class Words {
  private Words() {}

  /** Lower-case letter-and-digit runs. */
  public static List<String> of(String s) {
    return Arrays.stream(s.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+"))
        .filter(w -> !w.isEmpty())
        .toList();
  }

  /**
   * The share of {@code reference}'s content words (longer than three letters) that {@code text}
   * has; 1 when it has none.
   */
  public static double share(String reference, String text) {
    Set<String> ref = new HashSet<>(of(reference));
    ref.removeIf(w -> w.length() <= 3);
    Set<String> has = new HashSet<>(of(text));
    return ref.isEmpty() ? 1 : ref.stream().filter(has::contains).count() / (double) ref.size();
  }

  /** A run of {@code n} words that both texts have, or null. */
  public static String sharedRun(String a, String b, int n) {
    List<String> x = of(a);
    List<String> y = of(b);
    Set<String> grams = new HashSet<>();
    for (int i = 0; i + n <= x.size(); i++) {
      grams.add(String.join(" ", x.subList(i, i + n)));
    }
    for (int i = 0; i + n <= y.size(); i++) {
      String g = String.join(" ", y.subList(i, i + n));
      if (grams.contains(g)) {
        return g;
      }
    }
    return null;
  }
}
