package dev.rolesynth.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Small readers for the labelled lines and bullet lists of rolesynth's own prompt templates. */
public final class PromptText {
  private static final Set<String> STOP =
      new LinkedHashSet<>(
          Arrays.asList(
              "the", "a", "an", "and", "or", "of", "to", "in", "on", "at", "for", "with", "by",
              "from", "is", "was", "were", "are", "be", "been", "his", "her", "their", "its", "he",
              "she", "they", "it", "you", "your", "what", "who", "how", "why", "when", "where",
              "which", "did", "do", "does", "can", "could", "would", "tell", "me", "about", "that",
              "this", "as", "i", "my", "we", "our", "have", "has", "had", "not", "no", "any",
              "some", "ever", "there", "know"));

  private PromptText() {}

  /** The text after {@code label} on the first line that starts with it, or null. */
  public static String labelled(String text, String label) {
    for (String line : text.split("\n")) {
      if (line.startsWith(label)) {
        return line.substring(label.length()).trim();
      }
    }
    return null;
  }

  /**
   * Bullet items ("- x") between the first line starting with {@code from} and the next line
   * starting with {@code to}.
   */
  public static List<String> bullets(String text, String from, String to) {
    List<String> out = new ArrayList<>();
    boolean inside = from == null;
    for (String line : text.split("\n")) {
      if (!inside) {
        inside = line.startsWith(from);
        continue;
      }
      if (to != null && line.startsWith(to)) {
        break;
      }
      if (line.startsWith("- ")) {
        out.add(line.substring(2).trim());
      }
    }
    return out;
  }

  /** Lower-case content words, for overlap scores. */
  public static Set<String> words(String text) {
    Set<String> out = new LinkedHashSet<>();
    for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (w.length() > 2 && !STOP.contains(w)) {
        out.add(w);
      }
    }
    return out;
  }

  public static int overlap(String a, String b) {
    Set<String> wa = words(a);
    wa.retainAll(words(b));
    return wa.size();
  }

  /** Splits profile text into sentence-sized facts. */
  public static List<String> sentences(String text) {
    List<String> out = new ArrayList<>();
    for (String s : text.split("(?<=[.!?。！？])\\s+|\\n+")) {
      String t = s.trim();
      if (t.length() >= 8) {
        out.add(t);
      }
    }
    return out;
  }

  public static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, Math.max(0, max - 1)).trim() + "…";
  }

  private static final Set<String> SENTENCE_STARTERS =
      Set.of(
          "The", "A", "An", "He", "She", "They", "It", "His", "Her", "Their", "In", "On", "At",
          "During", "After", "Before", "With", "From", "When", "While");

  /** Lower-cases a leading common word (not a name), for embedding a fact in a sentence. */
  public static String lowerFirst(String s) {
    int space = s.indexOf(' ');
    String first = space < 0 ? s : s.substring(0, space);
    if (!SENTENCE_STARTERS.contains(first)) {
      return s;
    }
    return Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }
}
