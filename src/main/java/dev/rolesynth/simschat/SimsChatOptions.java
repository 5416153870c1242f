package dev.rolesynth.simschat;

import dev.rolesynth.options.Range;
import dev.rolesynth.options.RolesynthOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** SimsChat's knobs (docs/pipelines/simschat.md); the authors wrote 20 scenes per character. */
public interface SimsChatOptions extends RolesynthOptions {
  @Description(
      "SimsChat: scenes written per character, each becoming one dialogue (the authors: 20)")
  @Default.Integer(3)
  @Range(min = 1, max = 30)
  int getScenesPerCharacter();

  void setScenesPerCharacter(int value);
}
