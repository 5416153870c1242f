package dev.rolesynth.characterchat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolesynth.options.RolesynthOptions;
import dev.rolesynth.prompt.PipelineSettings;
import dev.rolesynth.prompt.PromptBook;
import dev.rolesynth.prompt.Resources;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CharacterChat's knobs and its declared stages (pipelines/characterchat/pipeline.yaml), checked
 * before any call.
 */
final class CharacterChatSettings extends PipelineSettings {
  static final String PIPELINE = "characterchat";

  /** The method's own options. */
  final CharacterChatKnobs opt;

  CharacterChatSettings(RolesynthOptions o, CharacterChatKnobs opt) {
    super(PromptBook.load(PIPELINE, o.getPromptDir()), o.getSeed());
    this.opt = opt;
  }

  /** The sixteen types' descriptions shipped with the pipeline (ours), by type. */
  static Map<String, String> descriptions() {
    try {
      return new ObjectMapper()
          .readValue(
              Resources.text("pipelines/" + PIPELINE + "/mbti-types.json"),
              new TypeReference<LinkedHashMap<String, String>>() {});
    } catch (IOException e) {
      throw new IllegalStateException("mbti-types.json is not valid JSON: " + e.getMessage(), e);
    }
  }
}
