package dev.rolesynth.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.prompt.PromptTemplate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stage answered by a declared shape: objects, lists, numbers and booleans as written, each text
 * a Mustache template rendered with the stage's variables (as text, so the same in process and read
 * back from a served prompt) and those its simulator adds ({@link StageSimulations#vars}); a text
 * where the stage's schema wants a number or a boolean is read as one, and where it wants a list
 * the text is one variable whose value is the list. The choices stay in code.
 */
final class TemplateAnswer implements StageSimulations.Answer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ONE_VAR = Pattern.compile("\\{\\{\\s*(\\w+)\\s*}}");

  private final String name;
  private final JsonNode shape;
  private final Map<String, PromptTemplate> templates = new HashMap<>();

  /** The shape's texts are compiled here, once, not on every simulated call. */
  TemplateAnswer(String name, JsonNode shape) {
    this.name = name;
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
    return fill(shape, in.schema() == null ? MissingNode.getInstance() : in.schema(), in);
  }

  /** A text renders as a template, and is a number or a boolean where the schema wants one. */
  private JsonNode fill(JsonNode node, JsonNode schema, StageSimulations.Input in) {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    if (node.isTextual() && schema.path("type").asText().equals("array")) {
      Matcher one = ONE_VAR.matcher(node.asText());
      if (one.matches() && in.values().get(one.group(1)) instanceof List<?> list) {
        return JSON.valueToTree(list);
      }
      throw new IllegalStateException(name + ": '" + node.asText() + "' is not a list variable");
    }
    if (node.isTextual()) {
      String text = templates.get(node.asText()).render(in.vars());
      try {
        return switch (schema.path("type").asText()) {
          case "integer" -> nodes.numberNode(Long.parseLong(text.strip()));
          case "number" -> nodes.numberNode(Double.parseDouble(text.strip()));
          case "boolean" -> nodes.booleanNode(Boolean.parseBoolean(text.strip()));
          default -> nodes.textNode(text);
        };
      } catch (NumberFormatException e) {
        throw new IllegalStateException(
            name + ": '" + text + "' is not the number the schema wants");
      }
    }
    if (node.isArray()) {
      ArrayNode out = nodes.arrayNode();
      node.forEach(x -> out.add(fill(x, schema.path("items"), in)));
      return out;
    }
    if (node.isObject()) {
      ObjectNode out = nodes.objectNode();
      node.fields()
          .forEachRemaining(
              e ->
                  out.set(
                      e.getKey(),
                      fill(e.getValue(), schema.path("properties").path(e.getKey()), in)));
      return out;
    }
    return node;
  }
}
