package dev.rolesynth.beyond;

import dev.rolesynth.ConfigException;
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

  final Mode mode;
  final String sourceTexts;
  final String sourceField;
  final String language;
  final int partnersPerRole;
  final int rounds;
  final int maxPartnerWords;
  final int maxChunkTokens;
  final int minNameMentions;
  final int minChapterChars;
  final int chunkScoreSamples;
  final int chunksPerRole;
  final int maxPromptFieldChars = 3000;

  /** The sample for source mode: two roles and the public-domain works they come from. */
  static final String SAMPLE_SOURCES = "pipelines/beyond-dialogue/sample/sources";

  static final List<String> SAMPLE_TEXTS = List.of("holmes.txt", "bennet.txt");

  static boolean sourceMode(BeyondDialogueOptions o) {
    return o.getMode().strip().equalsIgnoreCase("source");
  }

  BeyondDialogueSettings(BeyondDialogueOptions o) {
    super(PromptBook.load(PIPELINE, o.getPromptDir()), o.getSeed());
    this.mode =
        switch (o.getMode().strip().toLowerCase(Locale.ROOT)) {
          case "scratch" -> Mode.SCRATCH;
          case "source" -> Mode.SOURCE;
          default ->
              throw new ConfigException(
                  "--mode must be scratch or source, got '" + o.getMode() + "'");
        };
    String texts = o.getSourceTexts().strip();
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
    this.sourceField = o.getSourceField().strip();
    this.language = o.getLanguage().strip().isEmpty() ? "auto" : o.getLanguage().strip();
    this.partnersPerRole = o.getPartnersPerRole();
    this.rounds = o.getRounds();
    this.maxPartnerWords = o.getMaxPartnerWords();
    this.maxChunkTokens = o.getMaxChunkTokens();
    this.minNameMentions = o.getMinNameMentions();
    this.minChapterChars = o.getMinChapterChars();
    this.chunkScoreSamples = o.getChunkScoreSamples();
    this.chunksPerRole = o.getChunksPerRole();
  }
}
