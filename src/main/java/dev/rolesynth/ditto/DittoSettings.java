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
  final int minFacts = 5;
  final int maxFacts = 10;
  final int maxPromptFieldChars = 4000;

  /** Profile text the answer call sees (about four characters a token). */
  final int profileChars;

  /** Samples each judge takes, at its temperature, to average (Ditto's evaluation takes 3). */
  final int judgeSamples;

  /** Whether a call labels each contrastive question: could the role plausibly know this? */
  final boolean checkContrastive;

  private transient JsonNode queriesSchema;

  /** The options' ranges are checked by the launcher; what depends on two of them, here. */
  public DittoSettings(DittoOptions o) {
    super(PromptBook.load(PIPELINE, o.getPromptDir()), o.getSeed());
    if (o.getMinTurns() > o.getQueriesPerRole()) {
      throw new ConfigException(
          "--minTurns must be between 1 and --queriesPerRole, got " + o.getMinTurns());
    }
    this.contrastiveQueries = (int) Math.round(o.getQueriesPerRole() * o.getContrastiveRatio());
    this.inKnowledgeQueries = o.getQueriesPerRole() - contrastiveQueries;
    this.contrastiveSources = o.getContrastiveSources();
    this.judge = o.getJudge();
    this.minKnowledgeScore = o.getMinKnowledgeScore();
    this.minTurns = o.getMinTurns();
    this.profileChars = o.getProfileTokens() * 4;
    this.judgeSamples = o.getJudgeSamples();
    this.checkContrastive = o.getCheckContrastive();
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
