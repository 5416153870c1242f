package dev.rolesynth.prompt;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import dev.rolesynth.core.Hashes;
import java.io.Serializable;
import java.util.Map;

/**
 * A Mustache prompt template with its sha256. Rendering is strict: a variable the context lacks is
 * an error, not an empty string. Values are inserted verbatim (no HTML escaping) and never parsed
 * as templates, so profile text such as {@code {{system}}} passes through as plain data.
 */
public final class PromptTemplate implements Serializable {
  private static final Mustache.Compiler COMPILER =
      Mustache.compiler().escapeHTML(false).emptyStringIsFalse(true).strictSections(false);

  private final String name;
  private final String text;
  private final String sha256;
  private transient Template compiled;

  public PromptTemplate(String name, String text) {
    this.name = name;
    this.text = text;
    this.sha256 = Hashes.sha256(text);
    this.compiled = COMPILER.compile(text);
  }

  public String name() {
    return name;
  }

  String text() {
    return text;
  }

  public String sha256() {
    return sha256;
  }

  public String render(Map<String, ?> context) {
    if (compiled == null) {
      compiled = COMPILER.compile(text);
    }
    try {
      return compiled.execute(context).strip();
    } catch (MustacheException e) {
      throw new IllegalArgumentException("template " + name + ": " + e.getMessage(), e);
    }
  }
}
