package dev.rolesynth.characterchat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An utterance cleaned as the authors clean every reply before it joins the dialogue: one line, no
 * "Name:" prefix or opening "Hey"/"Oh"/"Absolutely", braces as parentheses, clauses of fewer than
 * three words and clauses with "Thank you" or "AI" dropped, a first clause that repeats the other
 * speaker's first clause dropped, the first letter a capital; nothing left becomes their filler.
 */
final class Utterances {
  static final String FILLER = "Um, please go on, I'm listening.";
  private static final Pattern PREFIX = Pattern.compile("^.*?[：:]");
  private static final Pattern OPENER = Pattern.compile("^(Hey|Oh|Absolutely)+[,.!?]?");
  private static final List<String> DROPPED = List.of("Thank you", "AI");

  private Utterances() {}

  static String clean(String reply, String previous) {
    // theirs drops line breaks, joining "you.\nIt" into "you.It"; ours makes them spaces
    String text = reply.replaceAll("\\s*\n+\\s*", " ");
    text = PREFIX.matcher(text).replaceFirst("");
    text = OPENER.matcher(text).replaceFirst("");
    text = text.replace('{', '(').replace('}', ')');
    StringBuilder kept = new StringBuilder();
    for (String clause : clauses(text)) {
      if (clause.split(" ", -1).length >= 3 && DROPPED.stream().noneMatch(clause::contains)) {
        kept.append(clause);
      }
    }
    List<String> mine = clauses(kept.toString());
    if (!previous.isEmpty() && !mine.isEmpty() && similar(clauses(previous).get(0), mine.get(0))) {
      mine = mine.subList(1, mine.size());
    }
    String out = String.join("", mine).strip();
    if (out.isEmpty()) {
      return FILLER;
    }
    char first = out.charAt(0);
    return first >= 'a' && first <= 'z' ? Character.toUpperCase(first) + out.substring(1) : out;
  }

  /** The text cut after each , . ! and ?, the marks kept with their clause. */
  static List<String> clauses(String text) {
    List<String> out = new ArrayList<>();
    int from = 0;
    for (int i = 0; i < text.length(); i++) {
      if (",.!?".indexOf(text.charAt(i)) >= 0) {
        out.add(text.substring(from, i + 1));
        from = i + 1;
      }
    }
    out.add(text.substring(from));
    return out;
  }

  /** difflib's quick_ratio above 0.9: the characters two texts share, as a share of both. */
  static boolean similar(String a, String b) {
    if (a.isEmpty() && b.isEmpty()) {
      return true;
    }
    Map<Character, Integer> left = new HashMap<>();
    for (char c : a.toCharArray()) {
      left.merge(c, 1, Integer::sum);
    }
    int shared = 0;
    for (char c : b.toCharArray()) {
      Integer n = left.get(c);
      if (n != null && n > 0) {
        left.put(c, n - 1);
        shared++;
      }
    }
    return 2.0 * shared / (a.length() + b.length()) > 0.9;
  }
}
