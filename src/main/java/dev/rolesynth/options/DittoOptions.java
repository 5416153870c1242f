package dev.rolesynth.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Ditto's own knobs (methods.md, section Ditto). */
public interface DittoOptions extends RolesynthOptions {
  @Description("Ditto: questions simulated per role (in-knowledge plus contrastive)")
  @Default.Integer(6)
  int getQueriesPerRole();

  void setQueriesPerRole(int value);

  @Description("Ditto: share of the questions built from other roles' knowledge, which the role should decline")
  @Default.Double(0.34)
  double getContrastiveRatio();

  void setContrastiveRatio(double value);

  @Description("Ditto: other roles whose knowledge feeds each role's contrastive questions")
  @Default.Integer(2)
  int getContrastiveSources();

  void setContrastiveSources(int value);

  @Description("Ditto: run the identity, refusal and knowledge judges and filter turns by them")
  @Default.Boolean(false)
  boolean getJudge();

  void setJudge(boolean value);

  @Description("Ditto: lowest knowledge score (1-10) an in-knowledge turn may have when judging")
  @Default.Integer(5)
  int getMinKnowledgeScore();

  void setMinKnowledgeScore(int value);

  @Description("Ditto: fewest surviving turns for a dialogue to be kept")
  @Default.Integer(1)
  int getMinTurns();

  void setMinTurns(int value);
}
