package dev.rolesynth.ditto;

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
}
