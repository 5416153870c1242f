package dev.rolesynth.rolemrc;

import dev.rolesynth.options.Range;
import dev.rolesynth.options.RolesynthOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** RoleMRC's knobs (docs/pipelines/rolemrc.md). */
public interface RoleMrcOptions extends RolesynthOptions {
  @Description(
      "RoleMRC: the MRC pool, a file or glob of JSONL items in MS MARCO's format ({query_id, query, "
          + "passages, answers}); blank = the shipped sample, only with the shipped persona sample")
  @Default.String("")
  String getPassages();

  void setPassages(String value);

  @Description("RoleMRC: turns per free and on-scene chat")
  @Default.Integer(6)
  @Range(min = 3, max = 21)
  int getChatTurns();

  void setChatTurns(int value);

  @Description(
      "RoleMRC: stage directions in parentheses: 'mixed' (per task, half with and half without, as the "
          + "authors' data), 'with' or 'none'")
  @Default.String("mixed")
  String getNarration();

  void setNarration(String value);

  @Description(
      "RoleMRC: which tasks a role gets: 'authors' (drawn by the seed to the shares of the authors' "
          + "data: about half the roles a free chat, half an on-scene chat, two in five each MRC item) "
          + "or 'all' (every task that fits the role's items)")
  @Default.String("authors")
  String getTaskMix();

  void setTaskMix(String value);

  @Description(
      "RoleMRC: also write the ruled tasks (nested format rule, multi-turn flip, system-over-user priority)")
  @Default.Boolean(true)
  boolean getRuledTasks();

  void setRuledTasks(boolean value);
}
