package dev.rolesynth.ditto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.ConfigException;
import dev.rolesynth.prompt.PromptTemplate;
import dev.rolesynth.prompt.Resources;
import java.io.IOException;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ditto's knobs, templates and stage schemas, loaded and checked once by the launcher and shipped
 * to workers inside the transforms (so workers need no {@code pipelines/} folder).
 */
public final class DittoSettings implements Serializable {
  public static final String PIPELINE = "ditto";
  static final List<String> TEMPLATES =
      List.of("profile.system", "profile.user", "queries.system", "queries.user", "answer.system", "judge.system",
          "judge_identity.user", "judge_refusal.user", "judge_knowledge.user");

  final long seed;
  final int inKnowledgeQueries;
  final int contrastiveQueries;
  final int contrastiveSources;
  final boolean judge;
  final int minKnowledgeScore;
  final int minTurns;
  final int minFacts;
  final int maxFacts;
  final int maxPromptFieldChars;
  private final Map<String, PromptTemplate> templates = new LinkedHashMap<>();
  private final Map<String, String> schemas = new LinkedHashMap<>();
  private transient Map<String, JsonNode> parsedSchemas;

  /**
   * @param queriesPerRole total questions per role
   * @param contrastiveRatio share of them built from other roles' knowledge
   */
  public DittoSettings(long seed, int queriesPerRole, double contrastiveRatio, int contrastiveSources, boolean judge,
      int minKnowledgeScore, int minTurns) {
    if (queriesPerRole < 1) {
      throw new ConfigException("--queriesPerRole must be at least 1, got " + queriesPerRole);
    }
    if (contrastiveRatio < 0 || contrastiveRatio > 1) {
      throw new ConfigException("--contrastiveRatio must be between 0 and 1, got " + contrastiveRatio);
    }
    if (contrastiveSources < 1) {
      throw new ConfigException("--contrastiveSources must be at least 1, got " + contrastiveSources);
    }
    if (minKnowledgeScore < 1 || minKnowledgeScore > 10) {
      throw new ConfigException("--minKnowledgeScore must be between 1 and 10, got " + minKnowledgeScore);
    }
    if (minTurns < 1 || minTurns > queriesPerRole) {
      throw new ConfigException("--minTurns must be between 1 and --queriesPerRole, got " + minTurns);
    }
    this.seed = seed;
    this.contrastiveQueries = (int) Math.round(queriesPerRole * contrastiveRatio);
    this.inKnowledgeQueries = queriesPerRole - contrastiveQueries;
    this.contrastiveSources = contrastiveSources;
    this.judge = judge;
    this.minKnowledgeScore = minKnowledgeScore;
    this.minTurns = minTurns;
    this.minFacts = 5;
    this.maxFacts = 10;
    this.maxPromptFieldChars = 4000;
    for (String t : TEMPLATES) {
      templates.put(t, Resources.template(PIPELINE, t));
    }
    for (String s : List.of("profile", "queries", "answer", "judge_identity", "judge_refusal", "judge_knowledge")) {
      schemas.put(s, Resources.schema(PIPELINE, s).toString());
    }
  }

  PromptTemplate template(String name) {
    PromptTemplate t = templates.get(name);
    if (t == null) {
      throw new IllegalArgumentException("no template " + name);
    }
    return t;
  }

  /** Template name to sha256, for provenance and the manifest. */
  public Map<String, String> templateHashes() {
    Map<String, String> out = new LinkedHashMap<>();
    templates.forEach((k, v) -> out.put(k, v.sha256()));
    return out;
  }

  synchronized JsonNode schema(String name) {
    if (parsedSchemas == null) {
      parsedSchemas = new LinkedHashMap<>();
      ObjectMapper mapper = new ObjectMapper();
      for (Map.Entry<String, String> e : schemas.entrySet()) {
        try {
          parsedSchemas.put(e.getKey(), mapper.readTree(e.getValue()));
        } catch (IOException ex) {
          throw new IllegalStateException(ex);
        }
      }
      // The question counts are run options, so they are written into the schema here.
      ObjectNode props = (ObjectNode) parsedSchemas.get("queries").get("properties");
      ((ObjectNode) props.get("inKnowledge")).put("minItems", inKnowledgeQueries).put("maxItems", inKnowledgeQueries);
      ((ObjectNode) props.get("contrastive")).put("minItems", contrastiveQueries).put("maxItems", contrastiveQueries);
    }
    return parsedSchemas.get(name);
  }
}
