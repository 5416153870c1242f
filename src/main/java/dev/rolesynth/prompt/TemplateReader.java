package dev.rolesynth.prompt;

import com.samskivert.mustache.Mustache;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a rendered prompt back into the variables its template was rendered with: the template is
 * rendered once with a marker for each plain variable, and the text between the markers must match
 * the prompt exactly. What a simulator served over HTTP, which sees only the prompt, uses instead of
 * a regular expression per stage. What a section rendered is not read, only the plain variables.
 */
public final class TemplateReader {
  private static final char MARK = '\u0001';
  private static final String SECTION = "\u0002";

  private TemplateReader() {}

  /**
   * The template's plain variables as rendered in {@code prompt}, or an empty map when it does not
   * match. Sections are first taken as absent; when that does not match, as any text (a list rendered
   * there, or an inverted section's text), so that the plain variables around them are still read.
   */
  public static Map<String, String> read(PromptTemplate template, String prompt) {
    Map<String, String> out = read(template, prompt, false);
    return out.isEmpty() ? read(template, prompt, true) : out;
  }

  private static Map<String, String> read(PromptTemplate template, String prompt, boolean sectionsAsAnyText) {
    Map<String, Object> context = new LinkedHashMap<>(TemplateCheck.placeholders(template.text()));
    List<String> names = context.entrySet().stream().filter(e -> !(e.getValue() instanceof Map)).map(Map.Entry::getKey).toList();
    Mustache.Lambda anyText = (fragment, writer) -> writer.write(SECTION);
    // A section as absent (an empty string is false), or as a mark that matches any text.
    context.replaceAll((k, v) -> v instanceof Map ? (sectionsAsAnyText ? anyText : "") : v);
    for (int i = 0; i < names.size(); i++) {
      context.put(names.get(i), MARK + Integer.toString(i) + MARK);
    }
    String marked = template.render(context);
    StringBuilder regex = new StringBuilder("\\A");
    List<Integer> order = new ArrayList<>();
    int at = 0;
    Matcher m = Pattern.compile(MARK + "(\\d+)" + MARK + "|" + SECTION).matcher(marked);
    while (m.find()) {
      regex.append(Pattern.quote(marked.substring(at, m.start())));
      if (m.group(1) != null) {
        regex.append("([\\s\\S]*?)");
        order.add(Integer.parseInt(m.group(1)));
      } else {
        regex.append("[\\s\\S]*?");
      }
      at = m.end();
    }
    regex.append(Pattern.quote(marked.substring(at))).append("\\z");
    Matcher p = Pattern.compile(regex.toString()).matcher(prompt.strip());
    Map<String, String> out = new LinkedHashMap<>();
    if (p.matches()) {
      for (int g = 0; g < order.size(); g++) {
        out.putIfAbsent(names.get(order.get(g)), p.group(g + 1));
      }
    }
    return out;
  }
}
