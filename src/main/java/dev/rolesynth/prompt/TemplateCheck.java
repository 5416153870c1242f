package dev.rolesynth.prompt;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks a replacement template (from {@code --promptDir}) at launch, before the first call: it is
 * rendered with a placeholder input holding exactly the variables its shipped template uses, which
 * is what the stage's code provides (the end-to-end tests render every shipped template with real
 * input). A variable or section the stage does not provide, a typo or a leftover from another
 * template, is then a configuration error naming the file, the name and its line, instead of one
 * dead letter per record at run time.
 */
final class TemplateCheck {
  /** Strict in sections too: a misspelt {@code {{#section}}} must not quietly render nothing. */
  private static final Mustache.Compiler STRICT =
      Mustache.compiler().escapeHTML(false).emptyStringIsFalse(true).strictSections(true);

  private TemplateCheck() {}

  /**
   * @throws IllegalArgumentException naming the variable and its line when {@code replacement} uses
   *     one that {@code shipped} does not
   */
  static void check(PromptTemplate shipped, String replacementText) {
    Map<String, Object> placeholders = placeholders(shipped.text());
    try {
      STRICT.compile(replacementText).execute(placeholders);
    } catch (MustacheException e) {
      throw new IllegalArgumentException(
          e.getMessage() + "; the stage provides: " + describe(placeholders, ""), e);
    }
  }

  /**
   * The variables a template reads, as a placeholder input: a plain variable is {@code "x"}, a
   * section a map of what it reads inside, which Mustache renders once. Found by rendering the
   * template on a map that has every name and records which were asked for.
   */
  static Map<String, Object> placeholders(String templateText) {
    Recorder root = new Recorder();
    Mustache.compiler().escapeHTML(false).compile(templateText).execute(root);
    return root.toPlaceholders();
  }

  private static String describe(Map<String, Object> placeholders, String prefix) {
    StringBuilder out = new StringBuilder();
    placeholders.forEach(
        (k, v) -> {
          if (out.length() > 0) {
            out.append(", ");
          }
          out.append(prefix).append(k);
          if (v instanceof Map<?, ?> inner) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) inner;
            out.append(" [").append(describe(m, "")).append("]");
          }
        });
    return out.toString();
  }

  /** A map that has every key: each lookup is recorded and answered with a nested recorder. */
  private static final class Recorder extends AbstractMap<String, Object> {
    private final Map<String, Recorder> seen = new TreeMap<>();

    @Override
    public Object get(Object key) {
      Recorder r = seen.computeIfAbsent(String.valueOf(key), k -> new Recorder());
      return r;
    }

    @Override
    public boolean containsKey(Object key) {
      return true;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
      return Set.of();
    }

    @Override
    public String toString() {
      return "x";
    }

    Map<String, Object> toPlaceholders() {
      Map<String, Object> out = new TreeMap<>();
      seen.forEach((k, r) -> out.put(k, r.seen.isEmpty() ? "x" : r.toPlaceholders()));
      return out;
    }
  }
}
