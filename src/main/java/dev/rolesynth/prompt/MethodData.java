package dev.rolesynth.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A method's own data beside its prompts, in {@code pipelines/<pipeline>/data.yaml}: lists (the
 * emotions a scene may be in), named lists (each trait's facets), weights (how often the authors'
 * data has each topic) and texts by key (a description of each type), in the file's order. A name
 * the file lacks fails as the method's classes load.
 */
public final class MethodData {
  private final String file;
  private final JsonNode root;

  private MethodData(String file, JsonNode root) {
    this.file = file;
    this.root = root;
  }

  public static MethodData of(String pipeline) {
    String file = "pipelines/" + pipeline + "/data.yaml";
    return new MethodData(file, Resources.yaml(file, false));
  }

  /** The list {@code name}, its texts in the file's order. */
  public List<String> list(String name) {
    List<String> out = new ArrayList<>();
    node(name, true).forEach(x -> out.add(x.asText()));
    return List.copyOf(out);
  }

  /** The weights {@code name}, by key in the file's order (a weighted draw walks them so). */
  public Map<String, Integer> weights(String name) {
    Map<String, Integer> out = new LinkedHashMap<>();
    node(name, false).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asInt()));
    return Collections.unmodifiableMap(out);
  }

  /** The texts {@code name}, by key in the file's order. */
  public Map<String, String> texts(String name) {
    Map<String, String> out = new LinkedHashMap<>();
    node(name, false).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return Collections.unmodifiableMap(out);
  }

  /** The named lists under {@code name} (the facets of each trait), in the file's order. */
  public Map<String, List<String>> lists(String name) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    node(name, false)
        .fields()
        .forEachRemaining(
            e -> {
              List<String> items = new ArrayList<>();
              e.getValue().forEach(x -> items.add(x.asText()));
              out.put(e.getKey(), List.copyOf(items));
            });
    return Collections.unmodifiableMap(out);
  }

  private JsonNode node(String name, boolean list) {
    JsonNode n = root.path(name);
    if (list ? !n.isArray() || n.isEmpty() : !n.isObject() || n.isEmpty()) {
      throw new IllegalStateException(
          file + " has no " + (list ? "list" : "map") + " '" + name + "'");
    }
    return n;
  }
}
