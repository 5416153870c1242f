package dev.rolesynth.sim;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rolesynth.prompt.Resources;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A simulator's word lists (names, places, topics) as data beside its pipeline, in {@code
 * pipelines/<pipeline>/simulated.yaml}: list name to words, in the order the simulator draws them.
 */
public final class SimWords {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final String file;
  private final Map<String, List<String>> lists;

  private SimWords(String file, Map<String, List<String>> lists) {
    this.file = file;
    this.lists = lists;
  }

  public static SimWords of(String pipeline) {
    String file = "pipelines/" + pipeline + "/simulated.yaml";
    try {
      return new SimWords(file, YAML.readValue(Resources.text(file), new TypeReference<>() {}));
    } catch (IOException e) {
      throw new IllegalStateException(file + " is not a map of word lists: " + e.getMessage(), e);
    }
  }

  /** The list {@code name}; a simulator naming a list its file lacks fails as it loads. */
  public List<String> get(String name) {
    List<String> words = lists.get(name);
    if (words == null || words.isEmpty()) {
      throw new IllegalStateException(file + " has no list '" + name + "'");
    }
    return List.copyOf(words);
  }
}
