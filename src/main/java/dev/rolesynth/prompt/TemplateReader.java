package dev.rolesynth.prompt;

import com.samskivert.mustache.Mustache;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a rendered prompt back into the variables its template was rendered with: the template is
 * rendered once with a marker for each plain variable, and the text between the markers must match
 * the prompt exactly. What a simulator served over HTTP, which sees only the prompt, uses instead
 * of a regular expression per stage. What a section rendered is not read, only the plain variables.
 */
public final class TemplateReader {
  private static final char MARK = '\u0001';
  private static final String SECTION = "\u0002";

  private TemplateReader() {}

  /**
   * The template's plain variables as rendered in {@code prompt}, or an empty map when it does not
   * match. Sections are first taken as absent; when that does not match, as any text (a list
   * rendered there, or an inverted section's text), so that the plain variables around them are
   * still read.
   */
  public static Map<String, String> read(PromptTemplate template, String prompt) {
    Map<String, String> out = read(template, prompt, false);
    return out.isEmpty() ? read(template, prompt, true) : out;
  }

  private static Map<String, String> read(
      PromptTemplate template, String prompt, boolean sectionsAsAnyText) {
    // Keyed by the template's own text (its hash cached), not a copy of it made per prompt.
    Shape shape =
        (sectionsAsAnyText ? SHAPES_ANY : SHAPES)
            .computeIfAbsent(template.text(), k -> Shape.of(template, sectionsAsAnyText));
    String text = prompt.strip();
    List<String> values = shape.split(text);
    if (values == null) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (int g = 0; g < shape.order().size(); g++) {
      if (shape.order().get(g) >= 0) {
        out.putIfAbsent(shape.names().get(shape.order().get(g)), values.get(g));
      }
    }
    return out;
  }

  /**
   * Each template's text between its variables, kept: a simulator reads thousands of prompts a
   * second. One map with sections read as absent, one with sections read as any text.
   */
  private static final Map<String, Shape> SHAPES = new ConcurrentHashMap<>();

  private static final Map<String, Shape> SHAPES_ANY = new ConcurrentHashMap<>();

  /**
   * A template as the literals between its gaps; {@code order} names each gap's variable (-1: a
   * section's any text).
   */
  private record Shape(List<String> literals, List<Integer> order, List<String> names) {
    static Shape of(PromptTemplate template, boolean sectionsAsAnyText) {
      Map<String, Object> context =
          new LinkedHashMap<>(TemplateCheck.placeholders(template.text()));
      List<String> names =
          context.entrySet().stream()
              .filter(e -> !(e.getValue() instanceof Map))
              .map(Map.Entry::getKey)
              .toList();
      Mustache.Lambda anyText = (fragment, writer) -> writer.write(SECTION);
      // A section as absent (an empty string is false), or as a mark that matches any text.
      context.replaceAll((k, v) -> v instanceof Map ? (sectionsAsAnyText ? anyText : "") : v);
      for (int i = 0; i < names.size(); i++) {
        context.put(names.get(i), MARK + Integer.toString(i) + MARK);
      }
      String marked = template.render(context);
      List<String> literals = new ArrayList<>();
      List<Integer> order = new ArrayList<>();
      int at = 0;
      Matcher m = Pattern.compile(MARK + "(\\d+)" + MARK + "|" + SECTION).matcher(marked);
      while (m.find()) {
        literals.add(marked.substring(at, m.start()));
        order.add(m.group(1) != null ? Integer.parseInt(m.group(1)) : -1);
        at = m.end();
      }
      literals.add(marked.substring(at));
      return new Shape(literals, order, names);
    }

    /**
     * Each gap's text, each as short as the next literal allows, or null when the text does not
     * match. Taking each literal's first occurrence loses no match: it leaves every later literal
     * the most room, so when it fails to reach the end, every other split fails too.
     */
    List<String> split(String text) {
      String first = literals.get(0);
      String last = literals.get(literals.size() - 1);
      if (order.isEmpty()) {
        return text.equals(first) ? List.of() : null;
      }
      if (!text.startsWith(first) || !text.endsWith(last)) {
        return null;
      }
      List<String> values = new ArrayList<>(order.size());
      int pos = first.length();
      for (int i = 1; i < literals.size() - 1; i++) {
        int found = text.indexOf(literals.get(i), pos);
        if (found < 0) {
          return null;
        }
        values.add(text.substring(pos, found));
        pos = found + literals.get(i).length();
      }
      int end = text.length() - last.length();
      if (end < pos) {
        return null;
      }
      values.add(text.substring(pos, end));
      return values;
    }
  }
}
