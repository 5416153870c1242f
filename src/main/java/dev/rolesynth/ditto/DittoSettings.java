package dev.rolesynth.ditto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.ConfigException;
import dev.rolesynth.prompt.PipelineSettings;
import dev.rolesynth.prompt.PromptBook;

/**
 * Ditto's knobs, templates and stage schemas, loaded and checked once by the launcher and shipped
 * to workers inside the transforms (so workers need no {@code pipelines/} folder).
 */
public final class DittoSettings extends PipelineSettings {
  public static final String PIPELINE = "ditto";

  final int inKnowledgeQueries;
  final int contrastiveQueries;
  final int contrastiveSources;
  final boolean judge;
  final int minKnowledgeScore;
  final int minTurns;
  final int minFacts;
  final int maxFacts;
  final int maxPromptFieldChars;

  /** Profile text the answer call sees (about four characters a token). */
  int profileChars = 6000;

  /** Samples each judge takes, at its temperature, to average (Ditto's evaluation takes 3). */
  int judgeSamples = 3;

  /** Whether a call labels each contrastive question: could the role plausibly know this? */
  boolean checkContrastive = true;

  private transient JsonNode queriesSchema;

  /**
   * @param queriesPerRole total questions per role
   * @param contrastiveRatio share of them built from other roles' knowledge
   */
  public DittoSettings(
      long seed,
      int queriesPerRole,
      double contrastiveRatio,
      int contrastiveSources,
      boolean judge,
      int minKnowledgeScore,
      int minTurns) {
    this(
        seed,
        queriesPerRole,
        contrastiveRatio,
        contrastiveSources,
        judge,
        minKnowledgeScore,
        minTurns,
        "");
  }

  public DittoSettings(
      long seed,
      int queriesPerRole,
      double contrastiveRatio,
      int contrastiveSources,
      boolean judge,
      int minKnowledgeScore,
      int minTurns,
      String promptDir) {
    super(PromptBook.load(PIPELINE, promptDir), seed);
    if (queriesPerRole < 1) {
      throw new ConfigException("--queriesPerRole must be at least 1, got " + queriesPerRole);
    }
    if (contrastiveRatio < 0 || contrastiveRatio > 1) {
      throw new ConfigException(
          "--contrastiveRatio must be between 0 and 1, got " + contrastiveRatio);
    }
    if (contrastiveSources < 1) {
      throw new ConfigException(
          "--contrastiveSources must be at least 1, got " + contrastiveSources);
    }
    if (minTurns < 1 || minTurns > queriesPerRole) {
      throw new ConfigException(
          "--minTurns must be between 1 and --queriesPerRole, got " + minTurns);
    }
    this.contrastiveQueries = (int) Math.round(queriesPerRole * contrastiveRatio);
    this.inKnowledgeQueries = queriesPerRole - contrastiveQueries;
    this.contrastiveSources = contrastiveSources;
    this.judge = judge;
    this.minKnowledgeScore = range("minKnowledgeScore", minKnowledgeScore, 1, 10);
    this.minTurns = minTurns;
    this.minFacts = 5;
    this.maxFacts = 10;
    this.maxPromptFieldChars = 4000;
  }

  /** Profile budget, judge samples and the contrastive check, set once by the launcher. */
  public DittoSettings faithful(int profileTokens, int judgeSamples, boolean checkContrastive) {
    if (profileTokens < 100) {
      throw new ConfigException("--profileTokens must be at least 100, got " + profileTokens);
    }
    if (judgeSamples < 1 || judgeSamples > 9) {
      throw new ConfigException("--judgeSamples must be between 1 and 9, got " + judgeSamples);
    }
    this.profileChars = profileTokens * 4;
    this.judgeSamples = judgeSamples;
    this.checkContrastive = checkContrastive;
    return this;
  }

  @Override
  public synchronized JsonNode schema(String name) {
    if (!name.equals("queries")) {
      return super.schema(name);
    }
    if (queriesSchema == null) {
      // The question counts are run options, so they are written into the schema here.
      ObjectNode q = super.schema("queries").deepCopy();
      ObjectNode props = (ObjectNode) q.get("properties");
      ((ObjectNode) props.get("inKnowledge"))
          .put("minItems", inKnowledgeQueries)
          .put("maxItems", inKnowledgeQueries);
      ((ObjectNode) props.get("contrastive"))
          .put("minItems", contrastiveQueries)
          .put("maxItems", contrastiveQueries);
      queriesSchema = q;
    }
    return queriesSchema;
  }
}
