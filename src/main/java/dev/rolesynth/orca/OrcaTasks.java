package dev.rolesynth.orca;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.core.Draws;
import dev.rolesynth.llm.Answers;
import dev.rolesynth.orca.Orca.ChunkScore;
import dev.rolesynth.orca.Orca.Persona;
import dev.rolesynth.orca.Orca.Post;
import dev.rolesynth.orca.Orca.PostBatch;
import dev.rolesynth.orca.Orca.ScoreChunk;
import dev.rolesynth.orca.Orca.SimulatedPosts;
import dev.rolesynth.orca.Orca.User;
import dev.rolesynth.pipeline.Stage;
import dev.rolesynth.pipeline.Vars;
import dev.rolesynth.retrieval.Words;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/** Orca's LLM stages (docs/pipelines/orca.md), each a template, a schema, checks and a parser. */
final class OrcaTasks {
  static final Pattern PERSONALITY_WORDS =
      Pattern.compile(
          "(?i)\\b(openness|conscientious(ness)?|extraver(sion|ted)|introver(sion|ted)|agreeable(ness)?|neurotic(ism)?|"
              + "big five|mbti|personality)\\b");
  static final Pattern AI_WORDS = Pattern.compile("(?i)\\b(AI|language model|as an assistant)\\b");

  private OrcaTasks() {}

  static Vars userContext(User u) {
    return Vars.of().with("name", u.name()).with("persona", u.persona());
  }

  /** A post as the prompts show it: the post, what it replies to or quotes, its image captions. */
  static String render(Post p) {
    StringBuilder sb = new StringBuilder();
    if (p.isReply() && !p.replyTo().text().isBlank()) {
      sb.append("[in reply to ")
          .append(p.replyTo().user().isBlank() ? "another user" : "@" + p.replyTo().user())
          .append(": ")
          .append(p.replyTo().text())
          .append("]\n");
    }
    sb.append(p.text());
    if (p.quote() != null && !p.quote().text().isBlank()) {
      sb.append("\n[quoting ")
          .append(p.quote().user().isBlank() ? "a post" : "@" + p.quote().user())
          .append(": ")
          .append(p.quote().text())
          .append("]");
    }
    for (String m : p.media()) {
      sb.append("\n[image: ").append(m).append("]");
    }
    return sb.toString();
  }

  static List<Map<String, Object>> numbered(List<Post> posts) {
    return IntStream.range(0, posts.size())
        .mapToObj(i -> Map.<String, Object>of("n", i + 1, "post", render(posts.get(i))))
        .toList();
  }

  /** Persona mode: posts in the persona's voice, a batch per call. */
  static Stage<PostBatch, SimulatedPosts> simulatePosts(OrcaSettings s) {
    return Stage.<PostBatch>asking(
            "orca_posts",
            s,
            b -> userContext(b.user()).with("count", b.count()).with("batch", b.batch()))
        .givingEach(
            (b, j) -> {
              List<Post> posts = new ArrayList<>();
              int i = 0;
              for (JsonNode p : j.get("posts")) {
                i++;
                String replyTo = p.path("replyTo").asText("");
                posts.add(
                    new Post(
                        "sim-" + b.batch() + "-" + i,
                        Answers.text(p, "text"),
                        replyTo.isBlank()
                            ? null
                            : new Orca.Upstream(
                                p.path("replyToUser").asText("someone"), replyTo, false),
                        null,
                        List.of(),
                        true));
              }
              return List.of(new SimulatedPosts(b.user().id(), b.batch(), posts));
            })
        .calledAs(PostBatch::callId)
        // The declared max_tokens is the base; each post asked for adds to it.
        .sized("posts", PostBatch::count, 120);
  }

  /** Stage 2: the 30 binary Big Five sub-dimensions for ten posts, with an explanation. */
  static Stage<ScoreChunk, ChunkScore> scoreBigFive(OrcaSettings s) {
    return Stage.<ScoreChunk>asking(
            "orca_bigfive",
            s,
            c ->
                userContext(c.user())
                    .with("posts", numbered(c.posts()))
                    .with("postCount", c.posts().size()))
        .givingEach(
            (c, j) -> {
              List<Integer> bits = new ArrayList<>();
              for (Map.Entry<String, List<String>> t : BigFive.FACETS.entrySet()) {
                JsonNode trait = j.get(t.getKey());
                for (String f : t.getValue()) {
                  bits.add(trait == null || trait.get(f) == null ? null : trait.get(f).asInt());
                }
              }
              return List.of(
                  new ChunkScore(c.user().id(), c.index(), bits, Answers.text(j, "Explanation")));
            })
        .calledAs(ScoreChunk::callId);
  }

  static Vars personaContext(Persona p) {
    return userContext(p.user())
        .with("explanations", p.explanations().stream().map(e -> Map.of("text", e)).toList())
        .with(
            "traits",
            BigFive.traitSums(p.score()).entrySet().stream()
                .map(t -> Map.of("trait", t.getKey(), "score", t.getValue()))
                .toList());
  }

  /** Trait summary in the second person, from the chunk explanations, never mentioning AI. */
  static Stage<Persona, Persona> summariseTraits(OrcaSettings s) {
    return Stage.<Persona>asking("orca_summary", s, OrcaTasks::personaContext)
        .giving((p, j) -> p.with(Answers.text(j, "summary"), null, null))
        .checkedBy(
            (p, a) -> {
              String text = a.get("summary").asText();
              if (!text.matches("(?s).*\\b[Yy]ou(r|rs|rself)?\\b.*")) {
                return "write the summary in the second person (\"You are ...\")";
              }
              return AI_WORDS.matcher(text).find()
                  ? "the summary must not mention AI, models or assistants"
                  : null;
            });
  }

  /** An imagined personal profile from ten random posts: no personality content, no post text. */
  static Stage<Persona, Persona> simulateProfile(OrcaSettings s) {
    return Stage.<Persona>asking(
            "orca_profile",
            s,
            p -> userContext(p.user()).with("posts", numbered(profileSample(s, p))))
        .giving((p, j) -> p.with(null, profileText(j), null))
        .checkedBy(
            (p, a) -> {
              String text = profileText(a);
              if (PERSONALITY_WORDS.matcher(text).find()) {
                return "the profile must not describe personality traits; keep to facts such as age, work and place";
              }
              for (Post post : profileSample(s, p)) {
                String leak = Words.sharedRun(post.text(), text, 8);
                if (leak != null) {
                  return "the profile copies post text (\""
                      + leak
                      + "\"); describe the person without quoting posts";
                }
              }
              return null;
            });
  }

  static List<Post> profileSample(OrcaSettings s, Persona p) {
    List<Post> posts = new ArrayList<>(p.kept().kept());
    Draws.shuffle(posts, s.seed, "profile-posts", p.user().id());
    return posts.subList(0, Math.min(s.opt.profilePosts(), posts.size()));
  }

  /** "Key: value" lines of the profile answer, in schema order. */
  static String profileText(JsonNode profile) {
    StringBuilder sb = new StringBuilder();
    profile
        .fields()
        .forEachRemaining(
            e -> {
              if (!e.getValue().asText().isBlank()) {
                sb.append(e.getKey())
                    .append(": ")
                    .append(e.getValue().asText().strip())
                    .append('\n');
              }
            });
    return sb.toString().strip();
  }

  /**
   * Score interpretation for the PSIT variant: each trait's level with its score, from the trait
   * report.
   */
  static Stage<Persona, Persona> interpretScores(OrcaSettings s) {
    return Stage.<Persona>asking(
            "orca_interpret", s, p -> personaContext(p).with("summary", p.traitSummary()))
        .giving((p, j) -> p.with(null, null, Answers.text(j, "interpretation")))
        .checkedBy(
            (p, a) -> {
              String text = a.get("interpretation").asText();
              for (String t : BigFive.TRAITS) {
                if (!text.contains(t)) {
                  return "interpret every trait by name; \"" + t + "\" is missing";
                }
              }
              return null;
            });
  }
}
