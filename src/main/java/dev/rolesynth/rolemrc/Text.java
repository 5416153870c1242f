package dev.rolesynth.rolemrc;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** The textual checks RoleMRC's answers must pass: stage directions, and how much of an answer they carry. */
final class Text {
  /** A stage direction: a short phrase in parentheses, e.g. (smiles warmly). */
  static final Pattern ACTION = Pattern.compile("\\([^()]{2,80}\\)");
  static final String WITH = "put the role's actions and expressions in parentheses, e.g. (smiles)";
  static final String NONE = "none; write speech only, with nothing in parentheses";

  private Text() {}

  static String narrationProblem(boolean narrated, List<String> lines) {
    boolean any = lines.stream().anyMatch(l -> ACTION.matcher(l).find());
    if (narrated && !any) {
      return "mark the role's actions and expressions in parentheses, e.g. (smiles)";
    }
    return !narrated && any ? "write speech only: no stage directions in parentheses" : null;
  }

  static List<String> words(String s) {
    return Arrays.stream(s.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")).filter(w -> !w.isEmpty()).toList();
  }

  /** The share of {@code reference}'s content words (longer than three letters) that {@code text} has. */
  static double share(String reference, String text) {
    Set<String> ref = new HashSet<>(words(reference));
    ref.removeIf(w -> w.length() <= 3);
    Set<String> has = new HashSet<>(words(text));
    return ref.isEmpty() ? 1 : ref.stream().filter(has::contains).count() / (double) ref.size();
  }

  /** A run of {@code n} words that both texts have, or null. */
  static String sharedRun(String a, String b, int n) {
    List<String> x = words(a);
    List<String> y = words(b);
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
