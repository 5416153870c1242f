package dev.rolesynth.characterchat;

import dev.rolesynth.options.Range;
import dev.rolesynth.options.RolesynthOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * CharacterChat's knobs (docs/pipelines/characterchat.md); the authors ran 64 profiles per type and
 * 10 supporters per seeker.
 */
public interface CharacterChatOptions extends RolesynthOptions {
  @Description("CharacterChat: profiles invented per MBTI type in the pool (the authors: 64)")
  @Default.Integer(1)
  @Range(min = 1, max = 256)
  int getProfilesPerType();

  void setProfilesPerType(int value);

  @Description(
      "CharacterChat: supporters matched to each seeker, drawn from the other profiles by the seed (the authors: 10)")
  @Default.Integer(2)
  @Range(min = 1, max = 64)
  int getSupportersPerSeeker();

  void setSupportersPerSeeker(int value);

  @Description(
      "CharacterChat: utterances a dialogue may reach when the stop rule has not closed it, its last two"
          + " the goodbyes (the authors' max_turn 20 allows 21: turns 0 to 20)")
  @Default.Integer(21)
  @Range(min = 4, max = 40)
  int getMaxUtterances();

  void setMaxUtterances(int value);

  @Description(
      "CharacterChat: score each finished dialogue (mood, usefulness, engagement), one call per dialogue")
  @Default.Boolean(true)
  boolean getScoreDialogues();

  void setScoreDialogues(boolean value);
}
