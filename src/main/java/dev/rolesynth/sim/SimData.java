package dev.rolesynth.sim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.prompt.Resources;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a pipeline's simulator declares as data beside it, in {@code
 * pipelines/<pipeline>/simulated.yaml}: {@code words}, its word lists (names, places, topics) in
 * the order it draws them, and {@code answers}, stages answered by a fixed shape whose texts are
 * Mustache templates over the stage's variables (see {@link TemplateAnswer}).
 */
public final class SimData {
  private final String file;
  private final JsonNode root;

  private SimData(String file, JsonNode root) {
    this.file = file;
    this.root = root;
  }

  /** The pipeline's simulated.yaml; nothing declared when it has none. */
  public static SimData of(String pipeline) {
    String file = "pipelines/" + pipeline + "/simulated.yaml";
    return new SimData(file, Resources.yaml(file, true));
  }

  /** The word list {@code name}; a simulator naming a list its file lacks fails as it loads. */
  public List<String> get(String name) {
    JsonNode words = root.path("words").path(name);
    if (!words.isArray() || words.isEmpty()) {
      throw new IllegalStateException(file + " has no word list '" + name + "'");
    }
    List<String> out = new ArrayList<>();
    words.forEach(w -> out.add(w.asText()));
    return List.copyOf(out);
  }

  /** The answers declared as data, by stage. */
  Map<String, StageSimulations.Answer> answers() {
    Map<String, StageSimulations.Answer> out = new LinkedHashMap<>();
    root.path("answers")
        .fields()
        .forEachRemaining(
            e -> out.put(e.getKey(), new TemplateAnswer(file + ": " + e.getKey(), e.getValue())));
    return out;
  }
}
