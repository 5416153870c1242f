package dev.rolesynth.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.ConfigException;
import java.io.Serializable;
import java.util.Map;

/** What every pipeline's settings share: its prompt book, and range checks that name the option. */
public abstract class PipelineSettings implements Serializable {
  private final PromptBook prompts;

  protected PipelineSettings(PromptBook prompts) {
    this.prompts = prompts;
  }

  public String render(String template, Map<String, ?> context) {
    return prompts.render(template, context);
  }

  public JsonNode schema(String name) {
    return prompts.schema(name);
  }

  public Map<String, String> templateHashes() {
    return prompts.templateHashes();
  }

  /** {@code value}, or a ConfigException naming {@code --option} and its range. */
  protected static int range(String option, int value, int min, int max) {
    if (value < min || value > max) {
      throw new ConfigException("--" + option + " must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }
}
