package dev.rolesynth.prompt;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a rendered prompt back into the variables its template was rendered with: the template is
 * rendered once with a marker for each plain variable, and the text between the markers must match
 * the prompt exactly. What a simulator served over HTTP, which sees only the prompt, uses instead of
 * a regular expression per stage. Sections are read as absent: a prompt in which one was rendered
 * does not match, and nothing is read from it.
 */
public final class TemplateReader {
  private static final char MARK = '\u0001';

  private TemplateReader() {}

  /** The template's plain variables as rendered in {@code prompt}, or an empty map when it does not match. */
  public static Map<String, String> read(PromptTemplate template, String prompt) {
    Map<String, Object> context = new LinkedHashMap<>(TemplateCheck.placeholders(template.text()));
    List<String> names = context.entrySet().stream().filter(e -> !(e.getValue() instanceof Map)).map(Map.Entry::getKey).toList();
    context.replaceAll((k, v) -> v instanceof Map ? "" : v); // a section as absent (an empty string is false)
    for (int i = 0; i < names.size(); i++) {
      context.put(names.get(i), MARK + Integer.toString(i) + MARK);
    }
    String marked = template.render(context);
    StringBuilder regex = new StringBuilder("\\A");
    List<Integer> order = new java.util.ArrayList<>();
    int at = 0;
    Matcher m = Pattern.compile(MARK + "(\\d+)" + MARK).matcher(marked);
    while (m.find()) {
      regex.append(Pattern.quote(marked.substring(at, m.start()))).append("([\\s\\S]*?)");
      order.add(Integer.parseInt(m.group(1)));
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
