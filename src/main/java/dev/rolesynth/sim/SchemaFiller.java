package dev.rolesynth.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Builds a value that satisfies a JSON Schema (the subset rolesynth's stage schemas use), with text
 * taken from the prompt, so that any stage without a dedicated simulation still gets a valid
 * answer.
 */
final class SchemaFiller {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private final SplittableRandom random;
  private final List<String> phrases;

  SchemaFiller(SplittableRandom random, String prompt) {
    this.random = random;
    List<String> p = new ArrayList<>(PromptText.sentences(prompt));
    if (p.isEmpty()) {
      p.add("Once upon a time there was a quiet answer.");
    }
    this.phrases = p;
  }

  JsonNode fill(JsonNode schema) {
    if (schema.has("enum")) {
      JsonNode options = schema.get("enum");
      return options.get(random.nextInt(options.size())).deepCopy();
    }
    if (schema.has("const")) {
      return schema.get("const").deepCopy();
    }
    String type = schema.path("type").asText("string");
    switch (type) {
      case "object":
        return object(schema);
      case "array":
        return array(schema);
      case "integer":
        return NODES.numberNode(integer(schema));
      case "number":
        long whole = integer(schema);
        double max = schema.path("maximum").asDouble(Double.MAX_VALUE);
        return NODES.numberNode(Math.min(max, whole + random.nextInt(100) / 100.0));
      case "boolean":
        return NODES.booleanNode(random.nextBoolean());
      default:
        return NODES.textNode(text(schema));
    }
  }

  private ObjectNode object(JsonNode schema) {
    ObjectNode out = NODES.objectNode();
    Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      out.set(e.getKey(), fill(e.getValue()));
    }
    return out;
  }

  private ArrayNode array(JsonNode schema) {
    int min = schema.path("minItems").asInt(1);
    int max = schema.path("maxItems").asInt(Math.max(min, 3));
    int n = min + random.nextInt(Math.max(1, max - min + 1));
    ArrayNode out = NODES.arrayNode();
    for (int i = 0; i < n; i++) {
      out.add(fill(schema.path("items")));
    }
    return out;
  }

  private long integer(JsonNode schema) {
    long min = schema.path("minimum").asLong(0);
    long max = schema.path("maximum").asLong(min + 10);
    return min + random.nextLong(Math.max(1, max - min + 1));
  }

  String text(JsonNode schema) {
    int min = schema.path("minLength").asInt(0);
    int max = schema.path("maxLength").asInt(300);
    StringBuilder s = new StringBuilder(phrases.get(random.nextInt(phrases.size())));
    while (s.length() < min) {
      s.append(' ').append(phrases.get(random.nextInt(phrases.size())));
    }
    return PromptText.clip(s.toString(), max);
  }
}
