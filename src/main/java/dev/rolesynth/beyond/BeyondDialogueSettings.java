package dev.rolesynth.beyond;

import dev.rolesynth.ConfigException;
import dev.rolesynth.options.RolesynthOptions;
import dev.rolesynth.pipeline.SampleFiles;
import dev.rolesynth.prompt.PipelineSettings;
import dev.rolesynth.prompt.PromptBook;
import java.util.List;
import java.util.Locale;

/** Beyond Dialogue's knobs, templates and stage schemas, checked before any call. */
public final class BeyondDialogueSettings extends PipelineSettings {
  public static final String PIPELINE = "beyond-dialogue";

  enum Mode {
    SCRATCH,
    SOURCE
  }

  /** The method's own options. */
  final BeyondDialogueKnobs opt;

  final Mode mode;
  final String sourceTexts;
  final String language;
  final int maxPromptFieldChars = 3000;

  /** The sample for source mode: two roles and the public-domain works they come from. */
  static final String SAMPLE_SOURCES = "pipelines/beyond-dialogue/sample/sources";

  static final List<String> SAMPLE_TEXTS = List.of("holmes.txt", "bennet.txt");

  BeyondDialogueSettings(RolesynthOptions o, BeyondDialogueKnobs opt) {
    super(PromptBook.load(PIPELINE, o.getPromptDir()), o.getSeed());
    this.opt = opt;
    this.mode = Mode.valueOf(opt.mode().toUpperCase(Locale.ROOT));
    String texts = opt.sourceTexts();
    if (mode == Mode.SOURCE && texts.isEmpty()) {
      if (!o.getInput().isBlank()) {
        throw new ConfigException(
            "--mode=source (the default, the paper's construction) needs --sourceTexts=FILE_OR_GLOB "
                + "(text files or JSONL {roleId, text}) for your pool; --mode=scratch makes dialogues from profiles alone");
      }
      // The shipped sample: its roles and the works they come from.
      texts = SampleFiles.folder(SAMPLE_SOURCES, SAMPLE_TEXTS) + "/*.txt";
    }
    if (mode == Mode.SCRATCH && !texts.isEmpty()) {
      throw new ConfigException("--sourceTexts is only read with --mode=source");
    }
    this.sourceTexts =
        texts.isEmpty() ? texts : dev.rolesynth.pipeline.InputFiles.require("sourceTexts", texts);
    this.language = opt.language().isEmpty() ? "auto" : opt.language();
  }
}
