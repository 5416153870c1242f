package dev.rolesynth.orca;

import dev.rolesynth.options.Range;
import dev.rolesynth.options.RolesynthOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Orca's knobs (docs/pipelines/orca.md); defaults are the authors'. */
public interface OrcaOptions extends RolesynthOptions {
  @Description("Orca: fewest posts a user must have (the paper's filter); persona users are exempt")
  @Default.Integer(200)
  int getMinPostsPerUser();

  void setMinPostsPerUser(int value);

  @Description(
      "Orca: posts shorter than this many characters are dropped unless they quote a post (0 keeps all)")
  @Default.Integer(50)
  @Range(min = 0, max = 10_000)
  int getMinPostChars();

  void setMinPostChars(int value);

  @Description("Orca: keep replies whose upstream post is missing (the paper drops them)")
  @Default.Boolean(false)
  boolean getKeepRepliesWithoutUpstream();

  void setKeepRepliesWithoutUpstream(boolean value);

  @Description("Orca: keep replies to the user's own posts (the paper drops them)")
  @Default.Boolean(false)
  boolean getKeepSelfReplies();

  void setKeepSelfReplies(boolean value);

  @Description(
      "Orca: keep replies whose upstream post is itself in a thread (the paper drops them)")
  @Default.Boolean(false)
  boolean getKeepThreadReplies();

  void setKeepThreadReplies(boolean value);

  @Description("Orca: posts per Big Five scoring call")
  @Default.Integer(10)
  @Range(min = 1, max = 100)
  int getPostsPerScoreChunk();

  void setPostsPerScoreChunk(int value);

  @Description("Orca: random posts the simulated profile is written from")
  @Default.Integer(10)
  @Range(min = 1, max = 100)
  int getProfilePosts();

  void setProfilePosts(int value);

  @Description("Orca, persona mode: posts simulated for each record that has none")
  @Default.Integer(30)
  @Range(min = 1, max = 1000)
  int getPostsPerPersona();

  void setPostsPerPersona(int value);

  @Description(
      "Orca: ptit (Personality section = trait summary) or psit (= the score interpretation)")
  @Default.String("ptit")
  String getVariant();

  void setVariant(String value);

  @Description("Orca ablation: no psychological activity in the instruction or the target")
  @Default.Boolean(false)
  boolean getWithoutPsychology();

  void setWithoutPsychology(boolean value);

  @Description("Orca ablation: no Profile section")
  @Default.Boolean(false)
  boolean getWithoutProfile();

  void setWithoutProfile(boolean value);

  @Description("Orca ablation: no Personality section")
  @Default.Boolean(false)
  boolean getWithoutPersonality();

  void setWithoutPersonality(boolean value);

  @Description("Orca ablation: no Potential Knowledge section")
  @Default.Boolean(false)
  boolean getWithoutKnowledge();

  void setWithoutKnowledge(boolean value);

  @Description(
      "Orca: users held out as the benchmark split (OrcaBench holds out 25), chosen with the seed")
  @Default.Integer(25)
  @Range(min = 0, max = 1_000_000)
  int getBenchmarkUsers();

  void setBenchmarkUsers(int value);

  @Description("Orca: fewest posts a user needs to be eligible for the benchmark split")
  @Default.Integer(100)
  @Range(min = 0, max = 1_000_000)
  int getBenchmarkMinPosts();

  void setBenchmarkMinPosts(int value);

  @Description(
      "Orca: make a PCIP record for every kept post (and its knowledge and activity calls), not only for the "
          + "posts the authors use: original (non-quote) posts whose knowledge call found knowledge")
  @Default.Boolean(false)
  boolean getPcipAllPosts();

  void setPcipAllPosts(boolean value);
}
