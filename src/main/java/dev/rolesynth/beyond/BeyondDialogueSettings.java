package dev.rolesynth.beyond;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.ConfigException;
import dev.rolesynth.options.BeyondDialogueOptions;
import dev.rolesynth.prompt.PromptBook;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/** Beyond Dialogue's knobs, templates and stage schemas, checked before any call. */
public final class BeyondDialogueSettings implements Serializable {
  public static final String PIPELINE = "beyond-dialogue";
  static final List<String> TEMPLATES = List.of(
      "analyst.system", "assistant.system", "profile.user", "partner.user", "scene.user", "emotion.user",
      "relationship.user", "partner_turn.system", "roleplay.system", "chunk_score.user", "chunk_scene.user",
      "extract.user", "subscene.user", "conflict.user", "align_character.user", "align_style.user",
      "align_emotion.user", "align_relationship.user", "align_personality.user");
  static final List<String> SCHEMAS = List.of(
      "profile", "partner", "scene", "emotion", "relationship", "turn", "chunk_score", "extract", "subscene",
      "conflict", "align_tags", "align_personality");

  enum Mode { SCRATCH, SOURCE }

  final long seed;
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
  private final PromptBook prompts;

  BeyondDialogueSettings(BeyondDialogueOptions o) {
    this.seed = o.getSeed();
    this.mode = switch (o.getMode().strip().toLowerCase(java.util.Locale.ROOT)) {
      case "scratch" -> Mode.SCRATCH;
      case "source" -> Mode.SOURCE;
      default -> throw new ConfigException("--mode must be scratch or source, got '" + o.getMode() + "'");
    };
    this.sourceTexts = o.getSourceTexts().strip();
    if (mode == Mode.SOURCE && sourceTexts.isEmpty()) {
      throw new ConfigException("--mode=source needs --sourceTexts=FILE_OR_GLOB (text files or JSONL {roleId, text})");
    }
    if (mode == Mode.SCRATCH && !sourceTexts.isEmpty()) {
      throw new ConfigException("--sourceTexts is only read with --mode=source");
    }
    this.sourceField = o.getSourceField().strip();
    this.language = o.getLanguage().strip().isEmpty() ? "auto" : o.getLanguage().strip();
    this.partnersPerRole = atLeast("partnersPerRole", o.getPartnersPerRole(), 1, 50);
    this.rounds = atLeast("rounds", o.getRounds(), 1, 20);
    this.maxPartnerWords = atLeast("maxPartnerWords", o.getMaxPartnerWords(), 5, 500);
    this.maxChunkTokens = atLeast("maxChunkTokens", o.getMaxChunkTokens(), 100, 100_000);
    this.minNameMentions = atLeast("minNameMentions", o.getMinNameMentions(), 1, 1000);
    this.minChapterChars = atLeast("minChapterChars", o.getMinChapterChars(), 0, 1_000_000);
    this.chunkScoreSamples = atLeast("chunkScoreSamples", o.getChunkScoreSamples(), 1, 20);
    this.chunksPerRole = atLeast("chunksPerRole", o.getChunksPerRole(), 1, 10_000);
    this.prompts = PromptBook.load(PIPELINE, o.getPromptDir(), TEMPLATES, SCHEMAS);
  }

  private static int atLeast(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new ConfigException("--" + name + " must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  String render(String template, Map<String, ?> context) {
    return prompts.render(template, context);
  }

  JsonNode schema(String name) {
    return prompts.schema(name);
  }

  Map<String, String> templateHashes() {
    return prompts.templateHashes();
  }
}
