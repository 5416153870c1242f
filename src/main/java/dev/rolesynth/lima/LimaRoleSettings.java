package dev.rolesynth.lima;

import dev.rolesynth.ConfigException;
import dev.rolesynth.options.RolesynthOptions;
import dev.rolesynth.prompt.PipelineSettings;
import dev.rolesynth.prompt.PromptBook;

/**
 * LIMA-Role's knobs and its declared stages (pipelines/lima-role/pipeline.yaml), checked before any
 * call.
 */
public final class LimaRoleSettings extends PipelineSettings {
  public static final String PIPELINE = "lima-role";

  /** The method's own options. */
  final LimaRoleKnobs opt;

  LimaRoleSettings(RolesynthOptions o, LimaRoleKnobs opt) {
    super(PromptBook.load(PIPELINE, o.getPromptDir()), o.getSeed());
    this.opt = opt;
    if (opt.maxPromptChars() < opt.minPromptChars()) {
      throw new ConfigException(
          "--minPromptChars must be at least 1 and at most --maxPromptChars, got "
              + opt.minPromptChars()
              + " and "
              + opt.maxPromptChars());
    }
    LanguageCheck.parse(opt.languages());
    if (opt.keepRoleNotLosing() && !opt.withJudge()) {
      throw new ConfigException("--keepRoleNotLosing needs --withJudge=true");
    }
  }
}
