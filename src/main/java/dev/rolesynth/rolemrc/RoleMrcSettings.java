package dev.rolesynth.rolemrc;

import dev.rolesynth.ConfigException;
import dev.rolesynth.core.Draws;
import dev.rolesynth.options.RolesynthOptions;
import dev.rolesynth.pipeline.InputFiles;
import dev.rolesynth.pipeline.SampleFiles;
import dev.rolesynth.prompt.PipelineSettings;
import dev.rolesynth.prompt.PromptBook;

/**
 * RoleMRC's knobs and its declared stages (pipelines/rolemrc/pipeline.yaml), checked before any
 * call.
 */
final class RoleMrcSettings extends PipelineSettings {
  static final String PIPELINE = "rolemrc";
  static final String SAMPLE = "pipelines/rolemrc/sample/";

  /** The method's own options. */
  final RoleMrcKnobs opt;

  final String passages;

  RoleMrcSettings(RolesynthOptions o, RoleMrcKnobs opt) {
    super(PromptBook.load(PIPELINE, o.getPromptDir()), o.getSeed());
    this.opt = opt;
    String p = opt.passages();
    if (p.isEmpty() && !o.getInput().isBlank()) {
      throw new ConfigException(
          "--passages=FILE_OR_GLOB (JSONL MRC items in MS MARCO's format) is needed with your own --input");
    }
    this.passages =
        InputFiles.require(
            "passages", p.isEmpty() ? SampleFiles.file(SAMPLE + "passages.jsonl").toString() : p);
  }

  /**
   * Whether a role's task of this kind marks actions in parentheses: half of them each way when
   * mixed.
   */
  boolean narrated(String roleId, String kind) {
    return opt.narration().equals("mixed")
        ? Draws.coin(seed, roleId, kind, "narration")
        : opt.narration().equals("with");
  }

  /** Whether the role opens a chat of this kind (else the user does), half each way. */
  boolean roleFirst(String roleId, String kind) {
    return Draws.coin(seed, roleId, kind, "first");
  }
}
