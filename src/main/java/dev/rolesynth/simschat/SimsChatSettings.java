package dev.rolesynth.simschat;

import dev.rolesynth.options.RolesynthOptions;
import dev.rolesynth.prompt.PipelineSettings;
import dev.rolesynth.prompt.PromptBook;

/**
 * SimsChat's knobs and its declared stages (pipelines/simschat/pipeline.yaml), checked before any
 * call.
 */
final class SimsChatSettings extends PipelineSettings {
  static final String PIPELINE = "simschat";

  final int scenesPerCharacter;

  SimsChatSettings(RolesynthOptions o, SimsChatKnobs k) {
    super(PromptBook.load(PIPELINE, o.getPromptDir()), o.getSeed());
    this.scenesPerCharacter = k.scenesPerCharacter();
  }
}
