package dev.rolesynth.orca;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.llm.AnswerCheck;
import dev.rolesynth.llm.CallOutcome;
import dev.rolesynth.llm.ChatRequest;
import dev.rolesynth.orca.Orca.ChunkScore;
import dev.rolesynth.orca.Orca.Persona;
import dev.rolesynth.orca.Orca.Post;
import dev.rolesynth.orca.Orca.PostBatch;
import dev.rolesynth.orca.Orca.PostTask;
import dev.rolesynth.orca.Orca.ScoreChunk;
import dev.rolesynth.orca.Orca.SimulatedPosts;
import dev.rolesynth.orca.Orca.User;
import dev.rolesynth.pipeline.Ids;
import dev.rolesynth.pipeline.LlmTask;
import dev.rolesynth.pool.Origin;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;

/** Orca's LLM stages (methods.md, section Orca), each a template, a schema, checks and a parser. */
final class OrcaTasks {
  private static final Pattern PERSONALITY_WORDS = Pattern.compile(
      "(?i)\\b(openness|conscientious(ness)?|extraver(sion|ted)|introver(sion|ted)|agreeable(ness)?|neurotic(ism)?|"
          + "big five|mbti|personality)\\b");
  private static final Pattern AI_WORDS = Pattern.compile("(?i)\\b(AI|language model|as an assistant)\\b");

  private OrcaTasks() {}

  /** Base for tasks over something that belongs to one user. */
  abstract static class UserTask<I, O> extends LlmTask<I, O> {
    final OrcaSettings settings;

    UserTask(OrcaSettings settings) {
      this.settings = settings;
    }

    abstract User user(I input);

    @Override
    public String recordId(I input) {
      return user(input).id();
    }

    @Override
    public Origin origin(I input) {
      return user(input).origin();
    }

  }

  static Map<String, Object> userContext(User u) {
    Map<String, Object> ctx = new LinkedHashMap<>();
    ctx.put("name", u.name());
    ctx.put("persona", u.persona());
    return ctx;
  }

  /** A post as the prompts show it: the post, what it replies to or quotes, its image captions. */
  static String render(Post p) {
    StringBuilder sb = new StringBuilder();
    if (p.isReply() && !p.replyTo().text().isBlank()) {
      sb.append("[in reply to ").append(p.replyTo().user().isBlank() ? "another user" : "@" + p.replyTo().user())
          .append(": ").append(p.replyTo().text()).append("]\n");
    }
    sb.append(p.text());
    if (p.quote() != null && !p.quote().text().isBlank()) {
      sb.append("\n[quoting ").append(p.quote().user().isBlank() ? "a post" : "@" + p.quote().user()).append(": ")
          .append(p.quote().text()).append("]");
    }
    for (String m : p.media()) {
      sb.append("\n[image: ").append(m).append("]");
    }
    return sb.toString();
  }

  static List<Map<String, Object>> numbered(List<Post> posts) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = 0; i < posts.size(); i++) {
      out.add(Map.of("n", i + 1, "post", render(posts.get(i))));
    }
    return out;
  }

  /** Persona mode: posts in the persona's voice, a batch per call. */
  static final class SimulatePosts extends UserTask<PostBatch, SimulatedPosts> {
    SimulatePosts(OrcaSettings settings) {
      super(settings);
    }

    @Override
    User user(PostBatch input) {
      return input.user();
    }

    @Override
    public String stage() {
      return "orca_posts";
    }

    @Override
    public String callId(PostBatch b) {
      return b.callId();
    }

    @Override
    public ChatRequest request(PostBatch b) {
      Map<String, Object> ctx = userContext(b.user());
      ctx.put("count", b.count());
      ctx.put("batch", b.batch());
      // The declared max_tokens is the base; each post asked for adds to it.
      ChatRequest r = settings.request(stage(), ctx, callId(b));
      r = r.withMaxTokens(r.maxTokens() + 120 * b.count());
      com.fasterxml.jackson.databind.node.ObjectNode schema = r.schema().deepCopy();
      ((com.fasterxml.jackson.databind.node.ObjectNode) schema.at("/properties/posts")).put("minItems", b.count())
          .put("maxItems", b.count());
      return r.withSchema(schema);
    }

    @Override
    public List<SimulatedPosts> parse(PostBatch b, CallOutcome outcome) {
      List<Post> posts = new ArrayList<>();
      int i = 0;
      for (JsonNode p : outcome.json().get("posts")) {
        i++;
        String replyTo = p.path("replyTo").asText("");
        posts.add(new Post("sim-" + b.batch() + "-" + i, p.get("text").asText().strip(),
            replyTo.isBlank() ? null : new Orca.Upstream(p.path("replyToUser").asText("someone"), replyTo, false), null,
            List.of(), true));
      }
      return List.of(new SimulatedPosts(b.user().id(), b.batch(), posts));
    }
  }

  /** Stage 2: the 30 binary Big Five sub-dimensions for ten posts, with an explanation. */
  static final class ScoreBigFive extends UserTask<ScoreChunk, ChunkScore> {
    ScoreBigFive(OrcaSettings settings) {
      super(settings);
    }

    @Override
    User user(ScoreChunk input) {
      return input.user();
    }

    @Override
    public String stage() {
      return "orca_bigfive";
    }

    @Override
    public String callId(ScoreChunk c) {
      return c.callId();
    }

    @Override
    public ChatRequest request(ScoreChunk c) {
      Map<String, Object> ctx = userContext(c.user());
      ctx.put("posts", numbered(c.posts()));
      ctx.put("postCount", c.posts().size());
      return settings.request(stage(), ctx, callId(c));
    }

    @Override
    public List<ChunkScore> parse(ScoreChunk c, CallOutcome outcome) {
      List<Integer> bits = new ArrayList<>();
      for (Map.Entry<String, List<String>> t : BigFive.FACETS.entrySet()) {
        JsonNode trait = outcome.json().get(t.getKey());
        for (String f : t.getValue()) {
          bits.add(trait == null || trait.get(f) == null ? null : trait.get(f).asInt());
        }
      }
      return List.of(new ChunkScore(c.user().id(), c.index(), bits, outcome.json().get("Explanation").asText().strip()));
    }
  }

  /** Base for the per-user augmentation stages. */
  abstract static class PersonaTask extends UserTask<Persona, Persona> {
    PersonaTask(OrcaSettings settings) {
      super(settings);
    }

    @Override
    User user(Persona p) {
      return p.user();
    }

    @Override
    public String callId(Persona p) {
      return p.user().id() + "/" + stage();
    }

    Map<String, Object> personaContext(Persona p) {
      Map<String, Object> ctx = userContext(p.user());
      List<Map<String, Object>> ex = new ArrayList<>();
      for (String e : p.explanations()) {
        ex.add(Map.of("text", e));
      }
      ctx.put("explanations", ex);
      List<Map<String, Object>> traits = new ArrayList<>();
      BigFive.traitSums(p.score()).forEach((k, v) -> traits.add(Map.of("trait", k, "score", v)));
      ctx.put("traits", traits);
      return ctx;
    }
  }

  /** Trait summary in the second person, from the chunk explanations, never mentioning AI. */
  static final class SummariseTraits extends PersonaTask {
    SummariseTraits(OrcaSettings settings) {
      super(settings);
    }

    @Override
    public String stage() {
      return "orca_summary";
    }

    @Override
    public ChatRequest request(Persona p) {
      return settings.request(stage(), personaContext(p), callId(p));
    }

    @Override
    public AnswerCheck check(Persona p) {
      return a -> {
        String s = a.get("summary").asText();
        if (!s.matches("(?s).*\\b[Yy]ou(r|rs|rself)?\\b.*")) {
          return "write the summary in the second person (\"You are ...\")";
        }
        return AI_WORDS.matcher(s).find() ? "the summary must not mention AI, models or assistants" : null;
      };
    }

    @Override
    public List<Persona> parse(Persona p, CallOutcome outcome) {
      return List.of(p.with(outcome.json().get("summary").asText().strip(), null, null, 1));
    }
  }

  /** An imagined personal profile from ten random posts: no personality content, no post text. */
  static final class SimulateProfile extends PersonaTask {
    SimulateProfile(OrcaSettings settings) {
      super(settings);
    }

    @Override
    public String stage() {
      return "orca_profile";
    }

    List<Post> sample(Persona p) {
      List<Post> posts = new ArrayList<>(p.kept().kept());
      Collections.shuffle(posts, new Random(Ids.seed(settings.seed, "profile-posts", p.user().id())));
      return posts.subList(0, Math.min(settings.profilePosts, posts.size()));
    }

    @Override
    public ChatRequest request(Persona p) {
      Map<String, Object> ctx = userContext(p.user());
      ctx.put("posts", numbered(sample(p)));
      return settings.request(stage(), ctx, callId(p));
    }

    @Override
    public AnswerCheck check(Persona p) {
      List<Post> shown = sample(p);
      return a -> {
        String text = profileText(a);
        if (PERSONALITY_WORDS.matcher(text).find()) {
          return "the profile must not describe personality traits; keep to facts such as age, work and place";
        }
        for (Post post : shown) {
          String leak = sharedRun(text, post.text(), 8);
          if (leak != null) {
            return "the profile copies post text (\"" + leak + "\"); describe the person without quoting posts";
          }
        }
        return null;
      };
    }

    @Override
    public List<Persona> parse(Persona p, CallOutcome outcome) {
      return List.of(p.with(null, profileText(outcome.json()), null, 1));
    }
  }

  /** "Key: value" lines of the profile answer, in schema order. */
  static String profileText(JsonNode profile) {
    StringBuilder sb = new StringBuilder();
    profile.fields().forEachRemaining(e -> {
      if (!e.getValue().asText().isBlank()) {
        sb.append(e.getKey()).append(": ").append(e.getValue().asText().strip()).append('\n');
      }
    });
    return sb.toString().strip();
  }

  /** The first run of {@code n} consecutive words that both texts share, or null. */
  static String sharedRun(String a, String b, int n) {
    String[] wa = a.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}']+");
    List<String> wb = List.of(b.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}']+"));
    Set<String> grams = new java.util.HashSet<>();
    for (int i = 0; i + n <= wb.size(); i++) {
      grams.add(String.join(" ", wb.subList(i, i + n)));
    }
    for (int i = 0; i + n <= wa.length; i++) {
      String g = String.join(" ", java.util.Arrays.copyOfRange(wa, i, i + n));
      if (grams.contains(g)) {
        return g;
      }
    }
    return null;
  }

  /** Score interpretation for the PSIT variant: each trait's level with its score, from the trait report. */
  static final class InterpretScores extends PersonaTask {
    InterpretScores(OrcaSettings settings) {
      super(settings);
    }

    @Override
    public String stage() {
      return "orca_interpret";
    }

    @Override
    public ChatRequest request(Persona p) {
      Map<String, Object> ctx = personaContext(p);
      ctx.put("summary", p.traitSummary());
      return settings.request(stage(), ctx, callId(p));
    }

    @Override
    public AnswerCheck check(Persona p) {
      return a -> {
        String text = a.get("interpretation").asText();
        for (String t : BigFive.TRAITS) {
          if (!text.contains(t)) {
            return "interpret every trait by name; \"" + t + "\" is missing";
          }
        }
        return null;
      };
    }

    @Override
    public List<Persona> parse(Persona p, CallOutcome outcome) {
      return List.of(p.with(null, null, outcome.json().get("interpretation").asText().strip(), 1));
    }
  }

  /** Base for the per-post stages. */
  abstract static class PostStage extends UserTask<PostTask, PostTask> {
    PostStage(OrcaSettings settings) {
      super(settings);
    }

    @Override
    User user(PostTask t) {
      return t.persona().user();
    }

    @Override
    public String callId(PostTask t) {
      return t.callId(stage());
    }

    Map<String, Object> postContext(PostTask t) {
      Map<String, Object> ctx = userContext(t.persona().user());
      ctx.put("post", render(t.post()));
      return ctx;
    }
  }

  /** Potential knowledge of one post: {containsKnowledge, detailedKnowledge}. */
  static final class FindKnowledge extends PostStage {
    FindKnowledge(OrcaSettings settings) {
      super(settings);
    }

    @Override
    public String stage() {
      return "orca_knowledge";
    }

    @Override
    public ChatRequest request(PostTask t) {
      return settings.request(stage(), postContext(t), callId(t));
    }

    @Override
    public AnswerCheck check(PostTask t) {
      return a -> a.get("containsKnowledge").asBoolean() && a.get("detailedKnowledge").asText().isBlank()
          ? "\"detailedKnowledge\" must state the knowledge when \"containsKnowledge\" is true" : null;
    }

    @Override
    public List<PostTask> parse(PostTask t, CallOutcome outcome) {
      boolean contains = outcome.json().get("containsKnowledge").asBoolean();
      return List.of(t.withKnowledge(contains, contains ? outcome.json().get("detailedKnowledge").asText().strip() : ""));
    }
  }

  /** Psychological activity behind one post: rmr (shows profile content), ept (explicit personality), bpa. */
  static final class InferActivity extends PostStage {
    InferActivity(OrcaSettings settings) {
      super(settings);
    }

    @Override
    public String stage() {
      return "orca_activity";
    }

    @Override
    public ChatRequest request(PostTask t) {
      Map<String, Object> ctx = postContext(t);
      ctx.put("profile", t.persona().profile());
      ctx.put("summary", t.persona().traitSummary());
      ctx.put("knowledge", t.containsKnowledge() ? t.knowledge() : "");
      return settings.request(stage(), ctx, callId(t));
    }

    @Override
    public List<PostTask> parse(PostTask t, CallOutcome outcome) {
      JsonNode j = outcome.json();
      return List.of(t.withActivity(j.get("rmr").asBoolean(), j.get("ept").asBoolean(), j.get("bpa").asText().strip()));
    }
  }
}
