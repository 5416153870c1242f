package dev.rolesynth.lima;

import com.github.pemistahl.lingua.api.IsoCode639_1;
import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.api.LanguageDetector;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;
import dev.rolesynth.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells whether two texts are in the same language, with Lingua over a configured set of languages.
 * Detectors are built once per JVM and per language set (loading the models takes a second or two).
 */
final class LanguageCheck {
  private static final Map<String, LanguageDetector> DETECTORS = new ConcurrentHashMap<>();

  /**
   * Below this confidence a text (code, a number, a single word) has no language we would insist
   * on.
   */
  private static final double MIN_CONFIDENCE = 0.5;

  private LanguageCheck() {}

  /** Checks a comma-separated list of ISO 639-1 codes; throws ConfigException naming a bad one. */
  static List<Language> parse(String codes) {
    List<Language> out = new ArrayList<>();
    for (String c : codes.split(",")) {
      if (c.isBlank()) {
        continue;
      }
      try {
        out.add(
            Language.getByIsoCode639_1(IsoCode639_1.valueOf(c.strip().toUpperCase(Locale.ROOT))));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(
            "--languages: '" + c.strip() + "' is not an ISO 639-1 code Lingua knows");
      }
    }
    if (out.size() < 2) {
      throw new ConfigException("--languages needs at least two languages to tell apart");
    }
    return out;
  }

  private static LanguageDetector detector(String codes) {
    return DETECTORS.computeIfAbsent(
        codes,
        c -> LanguageDetectorBuilder.fromLanguages(parse(c).toArray(Language[]::new)).build());
  }

  /** The language of a text when the detector is confident, else null. */
  static Language of(String codes, String text) {
    Map<Language, Double> conf = detector(codes).computeLanguageConfidenceValues(text);
    if (conf.isEmpty()) {
      return null;
    }
    Map.Entry<Language, Double> best = conf.entrySet().iterator().next();
    return best.getValue() >= MIN_CONFIDENCE ? best.getKey() : null;
  }

  /** Null when the languages agree (or either is unclear), else a sentence the model can act on. */
  static String mismatch(String codes, String question, String answer) {
    Language q = of(codes, question);
    if (q == null) {
      return null;
    }
    Language a = of(codes, answer);
    if (a == null || a == q) {
      return null;
    }
    String name = q.name().charAt(0) + q.name().substring(1).toLowerCase(Locale.ROOT);
    return "write the role prompt and the feedback in " + name + ", the language of the question";
  }
}
