package dev.rolesynth.characterchat;

import dev.rolesynth.prompt.PipelineSettings;
import dev.rolesynth.prompt.PromptBook;

/**
 * CharacterChat's knobs and its declared stages (pipelines/characterchat/pipeline.yaml), checked
 * before any call.
 */
final class CharacterChatSettings extends PipelineSettings {
  static final String PIPELINE = "characterchat";

  final int profilesPerType;
  final int supportersPerSeeker;
  final int maxUtterances;
  final boolean score;

  CharacterChatSettings(CharacterChatOptions o) {
    super(PromptBook.load(PIPELINE, o.getPromptDir()), o.getSeed());
    this.profilesPerType = o.getProfilesPerType();
    this.supportersPerSeeker = o.getSupportersPerSeeker();
    // The stop rule needs five seeker scores (nine utterances) before it can close a dialogue.
    this.maxUtterances = o.getMaxUtterances();
    this.score = o.getScoreDialogues();
  }
}
