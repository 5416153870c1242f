package dev.rolesynth.orca;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.ConfigException;
import dev.rolesynth.prompt.PipelineSettings;
import dev.rolesynth.prompt.PromptBook;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Orca's knobs, templates and stage schemas, checked before any call. */
public final class OrcaSettings extends PipelineSettings {
  public static final String PIPELINE = "orca";

  final int minPostsPerUser;
  final int minPostChars;
  final boolean keepRepliesWithoutUpstream;
  final boolean keepSelfReplies;
  final boolean keepThreadReplies;
  final int postsPerScoreChunk;
  final int profilePosts;
  final int postsPerPersona;
  final boolean psit;
  final boolean withoutPsychology;
  final boolean withoutProfile;
  final boolean withoutPersonality;
  final boolean withoutKnowledge;
  final int benchmarkUsers;
  final int benchmarkMinPosts;

  /** Records for every kept post, not only the authors' (original posts with knowledge). */
  final boolean allPosts;

  OrcaSettings(OrcaOptions o, int minPostsPerUser) {
    super(PromptBook.load(PIPELINE, o.getPromptDir()), o.getSeed());
    this.minPostsPerUser = range("minPostsPerUser", minPostsPerUser, 0, 1_000_000);
    this.minPostChars = o.getMinPostChars();
    this.keepRepliesWithoutUpstream = o.getKeepRepliesWithoutUpstream();
    this.keepSelfReplies = o.getKeepSelfReplies();
    this.keepThreadReplies = o.getKeepThreadReplies();
    this.postsPerScoreChunk = o.getPostsPerScoreChunk();
    this.profilePosts = o.getProfilePosts();
    this.postsPerPersona = o.getPostsPerPersona();
    this.psit =
        switch (o.getVariant().strip().toLowerCase(Locale.ROOT)) {
          case "ptit" -> false;
          case "psit" -> true;
          default ->
              throw new ConfigException(
                  "--variant must be ptit or psit, got '" + o.getVariant() + "'");
        };
    this.withoutPsychology = o.getWithoutPsychology();
    this.withoutProfile = o.getWithoutProfile();
    this.withoutPersonality = o.getWithoutPersonality();
    this.withoutKnowledge = o.getWithoutKnowledge();
    this.allPosts = o.getPcipAllPosts();
    this.benchmarkUsers = o.getBenchmarkUsers();
    this.benchmarkMinPosts = o.getBenchmarkMinPosts();
    checkBigFiveSchema(schema("bigfive"));
  }

  /** The scoring schema and the aggregation must agree on the 30 sub-dimensions, in order. */
  private static void checkBigFiveSchema(JsonNode schema) {
    for (Map.Entry<String, List<String>> t : BigFive.FACETS.entrySet()) {
      JsonNode props = schema.at("/properties/" + t.getKey() + "/properties");
      List<String> names = new ArrayList<>();
      props.fieldNames().forEachRemaining(names::add);
      if (!names.equals(t.getValue())) {
        throw new ConfigException(
            "schemas/orca/bigfive.schema.json: "
                + t.getKey()
                + " must list "
                + t.getValue()
                + " in that order, found "
                + names);
      }
    }
  }
}
