package dev.rolesynth.beyond;

import dev.rolesynth.beyond.Bd.Profile;
import dev.rolesynth.pool.Role;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Beyond Dialogue's profile slots off a role: the authors' English role JSON and Chinese rows
 * carry them as {@code character}, {@code style}, {@code personality} (MBTI) and {@code world}; any
 * other pool leaves them empty, and a profile call fills them in.
 */
final class Profiles {
  private static final Pattern TAG_SEPARATORS = Pattern.compile("[,，、;；/|]+");
  private static final Pattern MBTI = Pattern.compile("^[EI][SN][TF][JP]$");
  private static final Pattern QUOTED = Pattern.compile("['\"]([^'\"]+)['\"]");
  private static final Pattern HAN = Pattern.compile("\\p{IsHan}");

  private Profiles() {}

  static Profile of(Role role, String language, String sourceField) {
    List<String> character = tags(field(role, "character"));
    List<String> style = tags(field(role, "style"));
    String mbti = mbti(field(role, "personality"));
    String world = field(role, "world").strip();
    Set<String> names = new LinkedHashSet<>();
    names.add(role.name());
    names.addAll(role.aliases());
    names.addAll(listField(field(role, "names")));
    return new Profile(
        role,
        new ArrayList<>(names),
        character,
        style,
        mbti,
        world,
        language(role, language),
        field(role, sourceField).strip());
  }

  /** "a, b、c" or "['a', 'b']" into tags, in order, without repeats. */
  static List<String> tags(String text) {
    Set<String> out = new LinkedHashSet<>();
    for (String t : TAG_SEPARATORS.split(text.replaceAll("[\\[\\]'\"]", ""))) {
      if (!t.isBlank()) {
        out.add(t.strip());
      }
    }
    return new ArrayList<>(out);
  }

  /** A four-letter MBTI type, or null when the text is not one. */
  static String mbti(String text) {
    String t = text.strip().toUpperCase(Locale.ROOT);
    return MBTI.matcher(t).matches() ? t : null;
  }

  /** Why a four-letter answer is not an MBTI type, letter by letter; null when it is one. */
  static String mbtiProblem(String text) {
    String t = text.strip().toUpperCase(Locale.ROOT);
    if (t.length() != 4) {
      return "\"personality\" must be four letters, got \"" + text + "\"";
    }
    String[] pairs = {"EI", "SN", "TF", "JP"};
    for (int i = 0; i < 4; i++) {
      if (pairs[i].indexOf(t.charAt(i)) < 0) {
        return "letter "
            + (i + 1)
            + " of \""
            + text
            + "\" must be "
            + pairs[i].charAt(0)
            + " or "
            + pairs[i].charAt(1);
      }
    }
    return null;
  }

  /** The MBTI letters spelled out, as the system prompts show them. */
  static String mbtiWords(String mbti) {
    String[][] words = {
      {"Extraverted (E)", "Introverted (I)"},
      {"Sensing (S)", "Intuitive (N)"},
      {"Thinking (T)", "Feeling (F)"},
      {"Judging (J)", "Perceiving (P)"}
    };
    String[] pairs = {"EI", "SN", "TF", "JP"};
    List<String> out = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      out.add(words[i][pairs[i].indexOf(mbti.charAt(i))]);
    }
    return String.join(", ", out);
  }

  static String language(Role role, String option) {
    if (!option.equals("auto")) {
      return option;
    }
    return HAN.matcher(role.name()).find() ? "zh" : role.lang();
  }

  /** The language name the prompts ask for. */
  static String languageName(String code) {
    return switch (code) {
      case "en" -> "English";
      case "zh" -> "Simplified Chinese";
      case "ja" -> "Japanese";
      case "ko" -> "Korean";
      case "fr" -> "French";
      case "de" -> "German";
      case "es" -> "Spanish";
      default -> code;
    };
  }

  private static String field(Role role, String key) {
    for (Role.Field f : role.profile()) {
      if (f.key().equals(key)) {
        return f.value();
      }
    }
    return "";
  }

  /** The Chinese rows keep names as a Python list in a string: "['黛玉', '林黛玉']". */
  private static List<String> listField(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = QUOTED.matcher(text);
    while (m.find()) {
      out.add(m.group(1).strip());
    }
    if (out.isEmpty()) {
      out.addAll(tags(text));
    }
    return out;
  }
}
