package dev.rolesynth.lima;

import dev.rolesynth.ConfigException;
import dev.rolesynth.options.LimaRoleOptions;
import dev.rolesynth.prompt.PipelineSettings;
import dev.rolesynth.prompt.PromptBook;
import java.util.List;

/** LIMA-Role's knobs, templates and stage schemas, checked before any call. */
public final class LimaRoleSettings extends PipelineSettings {
  public static final String PIPELINE = "lima-role";
  static final List<String> TEMPLATES = List.of("annotate.system", "annotate.user", "neutral.system", "judge.system",
      "judge.user");
  static final List<String> SCHEMAS = List.of("annotate", "answer", "judge");

  final long seed;
  final int minPromptChars;
  final int maxPromptChars;
  final String languages;
  final boolean withJudge;
  final boolean keepRoleNotLosing;
  LimaRoleSettings(LimaRoleOptions o) {
    super(PromptBook.load(PIPELINE, o.getPromptDir(), TEMPLATES, SCHEMAS));
    this.seed = o.getSeed();
    if (o.getMinPromptChars() < 1 || o.getMaxPromptChars() < o.getMinPromptChars()) {
      throw new ConfigException("--minPromptChars must be at least 1 and at most --maxPromptChars, got "
          + o.getMinPromptChars() + " and " + o.getMaxPromptChars());
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
