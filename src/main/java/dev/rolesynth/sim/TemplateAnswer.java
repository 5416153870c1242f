package dev.rolesynth.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.prompt.PromptTemplate;
import java.util.HashMap;
import java.util.Map;

/**
 * A stage answered by a declared shape: objects, lists, numbers and booleans as written, each text
 * a Mustache template rendered with the stage's variables (as text, so the same in process and read
 * back from a served prompt). For answers without choices; those with them stay in code.
 */
final class TemplateAnswer implements StageSimulations.Answer {
  private final JsonNode shape;
  private final Map<String, PromptTemplate> templates = new HashMap<>();

  /** The shape's texts are compiled here, once, not on every simulated call. */
  TemplateAnswer(String name, JsonNode shape) {
    this.shape = shape;
    compile(name, shape);
  }

  private void compile(String name, JsonNode node) {
    if (node.isTextual()) {
      templates.computeIfAbsent(node.asText(), t -> new PromptTemplate(name, t));
    }
    node.forEach(x -> compile(name, x));
  }

  @Override
  public JsonNode answer(StageSimulations.Input in) {
    return fill(shape, in);
  }

  private JsonNode fill(JsonNode node, StageSimulations.Input in) {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    if (node.isTextual()) {
      return nodes.textNode(templates.get(node.asText()).render(in.vars()));
    }
    if (node.isArray()) {
      ArrayNode out = nodes.arrayNode();
      node.forEach(x -> out.add(fill(x, in)));
      return out;
    }
    if (node.isObject()) {
      ObjectNode out = nodes.objectNode();
      node.fields().forEachRemaining(e -> out.set(e.getKey(), fill(e.getValue(), in)));
      return out;
    }
    return node;
  }
}
