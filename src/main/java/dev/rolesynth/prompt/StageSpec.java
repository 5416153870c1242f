package dev.rolesynth.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.ConfigException;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One LLM stage as its pipeline declares it in {@code pipelines/<pipeline>/pipeline.yaml}: what it
 * is for, its templates (a system and a user template, either may be absent where the code builds
 * those turns), its answer schema, its sampling temperature and its {@code max_tokens}. The stage's
 * Java class keeps only the logic: the input it reads, the checks and the parser.
 *
 * <p>A record goes on to its next call as soon as its own call is done. A stage that by its method
 * needs every answer of an earlier stage first (a judge over all answers, a global pick, supporters
 * drawn from every profile) says so in {@code waitsFor: {stage: <earlier stage>, why: ...}}: the
 * run is idle for one answer's latency there, and the docs and the progress line can say why.
 *
 * @param waitsFor the earlier stage whose every answer this one needs first, or null
 * @param waitsWhy why it does, in one sentence, or null
 */
public record StageSpec(
    String name,
    String about,
    String system,
    String user,
    String schema,
    double temperature,
    int maxTokens,
    String waitsFor,
    String waitsWhy)
    implements Serializable {

  /** The {@code stages:} map of a pipeline.yaml, in file order; every field checked. */
  static Map<String, StageSpec> parse(String pipeline, JsonNode stages) {
    Map<String, StageSpec> out = new LinkedHashMap<>();
    if (stages == null || !stages.isObject()) {
      return out;
    }
    stages
        .fields()
        .forEachRemaining(
            e -> {
              String where = "pipelines/" + pipeline + "/pipeline.yaml, stage " + e.getKey();
              JsonNode s = e.getValue();
              s.fieldNames()
                  .forEachRemaining(
                      f -> {
                        if (!Set.of(
                                "about",
                                "system",
                                "user",
                                "schema",
                                "temperature",
                                "maxTokens",
                                "waitsFor")
                            .contains(f)) {
                          throw new ConfigException(where + ": unknown field '" + f + "'");
                        }
                      });
              double temperature = s.path("temperature").asDouble(Double.NaN);
              int maxTokens = s.path("maxTokens").asInt(0);
              if (!(temperature >= 0 && temperature <= 2)
                  || maxTokens < 1
                  || !s.hasNonNull("schema")) {
                throw new ConfigException(
                    where + ": needs schema, temperature (0-2) and maxTokens (at least 1)");
              }
              JsonNode waits = s.get("waitsFor");
              String waitsFor = null;
              String why = null;
              if (waits != null) {
                waitsFor = waits.path("stage").asText("");
                why = waits.path("why").asText("");
                if (!out.containsKey(waitsFor) || why.isBlank()) {
                  throw new ConfigException(
                      where
                          + ": waitsFor needs the stage (declared above) whose every answer it needs "
                          + "first, and why: got '"
                          + waitsFor
                          + "'");
                }
              }
              out.put(
                  e.getKey(),
                  new StageSpec(
                      e.getKey(),
                      s.path("about").asText(""),
                      text(s, "system"),
                      text(s, "user"),
                      s.get("schema").asText(),
                      temperature,
                      maxTokens,
                      waitsFor,
                      why));
            });
    return out;
  }

  private static String text(JsonNode s, String field) {
    return s.hasNonNull(field) ? s.get(field).asText() : null;
  }
}
