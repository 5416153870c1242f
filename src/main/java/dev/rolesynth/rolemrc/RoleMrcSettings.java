package dev.rolesynth.rolemrc;

import dev.rolesynth.ConfigException;
import dev.rolesynth.core.Draws;
import dev.rolesynth.pipeline.InputFiles;
import dev.rolesynth.pipeline.SampleFiles;
import dev.rolesynth.prompt.PipelineSettings;
import dev.rolesynth.prompt.PromptBook;
import java.util.Set;

/**
 * RoleMRC's knobs and its declared stages (pipelines/rolemrc/pipeline.yaml), checked before any
 * call.
 */
final class RoleMrcSettings extends PipelineSettings {
  static final String PIPELINE = "rolemrc";
  static final String SAMPLE = "pipelines/rolemrc/sample/";

  final String passages;
  final int chatTurns;
  final String narration;
  final boolean ruledTasks;
  final boolean allTasks;

  RoleMrcSettings(RoleMrcOptions o) {
    super(PromptBook.load(PIPELINE, o.getPromptDir()), o.getSeed());
    String p = o.getPassages().strip();
    if (p.isEmpty() && !o.getInput().isBlank()) {
      throw new ConfigException(
          "--passages=FILE_OR_GLOB (JSONL MRC items in MS MARCO's format) is needed with your own --input");
    }
    this.passages =
        InputFiles.require(
            "passages", p.isEmpty() ? SampleFiles.file(SAMPLE + "passages.jsonl").toString() : p);
    this.chatTurns = o.getChatTurns();
    this.narration = o.getNarration().strip();
    if (!Set.of("mixed", "with", "none").contains(narration)) {
      throw new ConfigException(
          "--narration must be mixed, with or none, got '" + o.getNarration() + "'");
    }
    this.ruledTasks = o.getRuledTasks();
    String mix = o.getTaskMix().strip();
    if (!Set.of("authors", "all").contains(mix)) {
      throw new ConfigException("--taskMix must be authors or all, got '" + o.getTaskMix() + "'");
    }
    this.allTasks = mix.equals("all");
  }

  /**
   * Whether a role's task of this kind marks actions in parentheses: half of them each way when
   * mixed.
   */
  boolean narrated(String roleId, String kind) {
    return narration.equals("mixed")
        ? Draws.coin(seed, roleId, kind, "narration")
        : narration.equals("with");
  }

  /** Whether the role opens a chat of this kind (else the user does), half each way. */
  boolean roleFirst(String roleId, String kind) {
    return Draws.coin(seed, roleId, kind, "first");
  }
}
