package dev.rolesynth.lima;

import dev.rolesynth.ConfigException;
import dev.rolesynth.prompt.PipelineSettings;
import dev.rolesynth.prompt.PromptBook;

/**
 * LIMA-Role's knobs and its declared stages (pipelines/lima-role/pipeline.yaml), checked before any
 * call.
 */
public final class LimaRoleSettings extends PipelineSettings {
  public static final String PIPELINE = "lima-role";

  final int minPromptChars;
  final int maxPromptChars;
  final String languages;
  final boolean withJudge;
  final boolean keepRoleNotLosing;

  LimaRoleSettings(LimaRoleOptions o) {
    super(PromptBook.load(PIPELINE, o.getPromptDir()), o.getSeed());
    if (o.getMinPromptChars() < 1 || o.getMaxPromptChars() < o.getMinPromptChars()) {
      throw new ConfigException(
          "--minPromptChars must be at least 1 and at most --maxPromptChars, got "
              + o.getMinPromptChars()
              + " and "
              + o.getMaxPromptChars());
    }
    this.minPromptChars = o.getMinPromptChars();
    this.maxPromptChars = o.getMaxPromptChars();
    LanguageCheck.parse(o.getLanguages());
    this.languages = o.getLanguages();
    if (o.getKeepRoleNotLosing() && !o.getWithJudge()) {
      throw new ConfigException("--keepRoleNotLosing needs --withJudge=true");
    }
    this.withJudge = o.getWithJudge();
    this.keepRoleNotLosing = o.getKeepRoleNotLosing();
  }
}
