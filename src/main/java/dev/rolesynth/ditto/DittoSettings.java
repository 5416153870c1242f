package dev.rolesynth.ditto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.ConfigException;
import dev.rolesynth.options.RolesynthOptions;
import dev.rolesynth.prompt.PipelineSettings;
import dev.rolesynth.prompt.PromptBook;

/**
 * Ditto's knobs, templates and stage schemas, loaded and checked once by the launcher and shipped
 * to workers inside the transforms (so workers need no {@code pipelines/} folder).
 */
public final class DittoSettings extends PipelineSettings {
  public static final String PIPELINE = "ditto";

  /** The method's own options. */
  final DittoKnobs opt;

  final int inKnowledgeQueries;
  final int contrastiveQueries;
  final int minFacts = 5;
  final int maxFacts = 10;
  final int maxPromptFieldChars = 4000;

  /** Profile text the answer call sees (about four characters a token). */
  final int profileChars;

  private transient JsonNode queriesSchema;

  /** The options' ranges are checked by the launcher; what depends on two of them, here. */
  DittoSettings(RolesynthOptions o, DittoKnobs opt) {
    super(PromptBook.load(PIPELINE, o.getPromptDir()), o.getSeed());
    this.opt = opt;
    if (opt.minTurns() > opt.queriesPerRole()) {
      throw new ConfigException(
          "--minTurns must be between 1 and --queriesPerRole, got " + opt.minTurns());
    }
    this.contrastiveQueries = (int) Math.round(opt.queriesPerRole() * opt.contrastiveRatio());
    this.inKnowledgeQueries = opt.queriesPerRole() - contrastiveQueries;
    this.profileChars = opt.profileTokens() * 4;
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
