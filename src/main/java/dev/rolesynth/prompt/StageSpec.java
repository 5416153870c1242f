package dev.rolesynth.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.ConfigException;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One LLM stage as its pipeline declares it in {@code pipelines/<pipeline>/pipeline.yaml}: what it
 * is for, its templates (a system and a user template, either may be absent where the code builds
 * those turns), its answer schema, its sampling temperature and its {@code max_tokens}. The stage's
 * Java class keeps only the logic: the input it reads, the checks and the parser.
 */
public record StageSpec(String name, String about, String system, String user, String schema, double temperature,
    int maxTokens) implements Serializable {

  /** The {@code stages:} map of a pipeline.yaml, in file order; every field checked. */
  static Map<String, StageSpec> parse(String pipeline, JsonNode stages) {
    Map<String, StageSpec> out = new LinkedHashMap<>();
    if (stages == null || !stages.isObject()) {
      return out;
    }
    stages.fields().forEachRemaining(e -> {
      String where = "pipelines/" + pipeline + "/pipeline.yaml, stage " + e.getKey();
      JsonNode s = e.getValue();
      s.fieldNames().forEachRemaining(f -> {
        if (!java.util.Set.of("about", "system", "user", "schema", "temperature", "maxTokens").contains(f)) {
          throw new ConfigException(where + ": unknown field '" + f + "'");
        }
      });
      double temperature = s.path("temperature").asDouble(Double.NaN);
      int maxTokens = s.path("maxTokens").asInt(0);
      if (!(temperature >= 0 && temperature <= 2) || maxTokens < 1 || !s.hasNonNull("schema")) {
        throw new ConfigException(where + ": needs schema, temperature (0-2) and maxTokens (at least 1)");
      }
      out.put(e.getKey(), new StageSpec(e.getKey(), s.path("about").asText(""), text(s, "system"), text(s, "user"),
          s.get("schema").asText(), temperature, maxTokens));
    });
    return out;
  }

  private static String text(JsonNode s, String field) {
    return s.hasNonNull(field) ? s.get(field).asText() : null;
  }
}
