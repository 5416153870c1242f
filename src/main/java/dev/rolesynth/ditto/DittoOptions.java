package dev.rolesynth.ditto;

import dev.rolesynth.options.Range;
import dev.rolesynth.options.RolesynthOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Ditto's own knobs (docs/pipelines/ditto.md). */
public interface DittoOptions extends RolesynthOptions {
  @Description("Ditto: questions simulated per role (in-knowledge plus contrastive)")
  @Default.Integer(6)
  @Range(min = 1, max = 1000)
  int getQueriesPerRole();

  void setQueriesPerRole(int value);

  @Description(
      "Ditto: share of the questions built from other roles' knowledge, which the role should decline")
  @Default.Double(0.34)
  @Range(min = 0, max = 1)
  double getContrastiveRatio();

  void setContrastiveRatio(double value);

  @Description("Ditto: other roles whose knowledge feeds each role's contrastive questions")
  @Default.Integer(2)
  @Range(min = 1, max = 1000)
  int getContrastiveSources();

  void setContrastiveSources(int value);

  @Description("Ditto: run the identity, refusal and knowledge judges and filter turns by them")
  @Default.Boolean(false)
  boolean getJudge();

  void setJudge(boolean value);

  @Description("Ditto: lowest knowledge score (1-10) an in-knowledge turn may have when judging")
  @Default.Integer(5)
  @Range(min = 1, max = 10)
  int getMinKnowledgeScore();

  void setMinKnowledgeScore(int value);

  @Description("Ditto: fewest surviving turns for a dialogue to be kept")
  @Default.Integer(1)
  @Range(min = 1, max = 1000)
  int getMinTurns();

  void setMinTurns(int value);

  @Description(
      "Ditto: tokens of the role's own profile (description and fields) the answer call sees beside its "
          + "knowledge card")
  @Default.Integer(1500)
  @Range(min = 100, max = 1000000)
  int getProfileTokens();

  void setProfileTokens(int value);

  @Description(
      "Ditto: samples each judge takes at temperature 0.2, averaged, as Ditto's evaluation does")
  @Default.Integer(3)
  @Range(min = 1, max = 9)
  int getJudgeSamples();

  void setJudgeSamples(int value);

  @Description(
      "Ditto: label each contrastive question 'could this role plausibly know this?' with one call per "
          + "role and drop those it could")
  @Default.Boolean(true)
  boolean getCheckContrastive();

  void setCheckContrastive(boolean value);
}
