package dev.rolesynth.beyond;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.beyond.Bd.ChunkSample;
import dev.rolesynth.beyond.Bd.Conversation;
import dev.rolesynth.beyond.Bd.Dialogue;
import dev.rolesynth.beyond.Bd.Emotions;
import dev.rolesynth.beyond.Bd.Label;
import dev.rolesynth.beyond.Bd.Line;
import dev.rolesynth.beyond.Bd.Pair;
import dev.rolesynth.beyond.Bd.Partner;
import dev.rolesynth.beyond.Bd.PartnerChain;
import dev.rolesynth.beyond.Bd.Profile;
import dev.rolesynth.beyond.Bd.ScoredChunk;
import dev.rolesynth.beyond.Bd.SourceInfo;
import dev.rolesynth.llm.AnswerCheck;
import dev.rolesynth.llm.CallOutcome;
import dev.rolesynth.llm.ChatMessage;
import dev.rolesynth.llm.ChatRequest;
import dev.rolesynth.pipeline.LlmTask;
import dev.rolesynth.pool.Origin;
import dev.rolesynth.pool.Role;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Beyond Dialogue's LLM stages (methods.md, section Beyond Dialogue), each a template, a schema, checks and a parser. */
final class BdTasks {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private BdTasks() {}

  /** Base for tasks over something that belongs to one role. */
  abstract static class ProfileTask<I, O> extends LlmTask<I, O> {
    final BeyondDialogueSettings settings;

    ProfileTask(BeyondDialogueSettings settings) {
      this.settings = settings;
    }

    abstract Profile profile(I input);

    @Override
    public String recordId(I input) {
      return profile(input).id();
    }

    @Override
    public Origin origin(I input) {
      return profile(input).origin();
    }

    String analyst(Profile p) {
      return settings.system(stage(), context(p));
    }
  }

  /** What every template may use about a role. */
  static Map<String, Object> context(Profile p) {
    Map<String, Object> ctx = new LinkedHashMap<>();
    ctx.put("name", p.name());
    ctx.put("aliases", String.join(", ", p.names().subList(1, p.names().size())));
    ctx.put("language", Profiles.languageName(p.language()));
    ctx.put("world", p.world());
    ctx.put("character", String.join(", ", p.character()));
    ctx.put("style", String.join(", ", p.style()));
    ctx.put("mbti", p.mbti() == null ? "" : p.mbti());
    ctx.put("mbtiWords", p.mbti() == null ? "" : Profiles.mbtiWords(p.mbti()));
    ctx.put("description", p.role().description());
    return ctx;
  }

  /** Word count for limits: whitespace words, or characters over two for scripts written without spaces. */
  static int words(String text) {
    String t = text.strip();
    if (t.isEmpty()) {
      return 0;
    }
    long han = t.codePoints().filter(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN).count();
    return han > t.length() / 3 ? (int) Math.ceil(t.length() / 2.0) : t.split("\\s+").length;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> {
      if (!n.asText().isBlank()) {
        out.add(n.asText().strip());
      }
    });
    return out;
  }

  private static String norm(String s) {
    return s.strip().toLowerCase(Locale.ROOT);
  }

  private static Emotions emotions(JsonNode json) {
    List<Integer> v = new ArrayList<>();
    for (String e : Bd.EMOTIONS) {
      v.add(json.get(e).asInt());
    }
    return new Emotions(v);
  }

  /** Profile preprocessing (the authors' character abstraction): fills the slots a pool did not give. */
  static final class CompleteProfile extends ProfileTask<Profile, Profile> {
    CompleteProfile(BeyondDialogueSettings settings) {
      super(settings);
    }

    @Override
    Profile profile(Profile input) {
      return input;
    }

    @Override
    public String stage() {
      return "bd_profile";
    }

    @Override
    public ChatRequest request(Profile p) {
      Map<String, Object> ctx = context(p);
      List<Map<String, String>> fields = new ArrayList<>();
      for (Role.Field f : p.role().profile()) {
        String v = f.value().replaceAll("\\s+", " ");
        fields.add(Map.of("key", f.key(), "value", v.length() > settings.maxPromptFieldChars
            ? v.substring(0, settings.maxPromptFieldChars) + " …" : v));
      }
      ctx.put("fields", fields);
      return settings.request(stage(), context(p), ctx, callId(p));
    }

    @Override
    public List<Profile> parse(Profile p, CallOutcome outcome) {
      JsonNode j = outcome.json();
      return List.of(new Profile(p.role(), p.names(),
          p.character().isEmpty() ? new ArrayList<>(new LinkedHashSet<>(strings(j.get("character")))) : p.character(),
          p.style().isEmpty() ? new ArrayList<>(new LinkedHashSet<>(strings(j.get("style")))) : p.style(),
          p.mbti() == null ? j.get("personality").asText().toUpperCase(Locale.ROOT) : p.mbti(),
          p.world().isBlank() ? j.get("world").asText().strip() : p.world(), p.language(), p.sourceKey()));
    }
  }

  /** Scratch mode: one more chat partner, distinctly different from those made so far. */
  static final class CreatePartner extends ProfileTask<PartnerChain, PartnerChain> {
    CreatePartner(BeyondDialogueSettings settings) {
      super(settings);
    }

    @Override
    Profile profile(PartnerChain input) {
      return input.profile();
    }

    @Override
    public String stage() {
      return "bd_partner";
    }

    @Override
    public String callId(PartnerChain c) {
      return c.nextCallId();
    }

    @Override
    public ChatRequest request(PartnerChain c) {
      Map<String, Object> ctx = context(c.profile());
      List<Map<String, String>> so = new ArrayList<>();
      c.partners().forEach(p -> so.add(Map.of("name", p.name(), "description", p.description())));
      ctx.put("partners", so);
      ctx.put("hasPartners", !so.isEmpty());
      return settings.request(stage(), context(c.profile()), ctx, callId(c));
    }

    @Override
    public AnswerCheck check(PartnerChain c) {
      Set<String> taken = new LinkedHashSet<>();
      c.profile().names().forEach(n -> taken.add(norm(n)));
      c.partners().forEach(p -> taken.add(norm(p.name())));
      return a -> {
        String name = a.get("chat_role").asText();
        if (taken.contains(norm(name))) {
          return "\"" + name + "\" is already taken; create a different partner with a new first name";
        }
        return words(a.get("role_des").asText()) > 120 ? "\"role_des\" must be at most 100 words" : null;
      };
    }

    @Override
    public List<PartnerChain> parse(PartnerChain c, CallOutcome outcome) {
      return List.of(c.with(new Partner(outcome.json().get("chat_role").asText().strip(),
          outcome.json().get("role_des").asText().strip())));
    }
  }

  /** Base for the per-pair stages of scratch mode. */
  abstract static class PairTask extends ProfileTask<Pair, Pair> {
    PairTask(BeyondDialogueSettings settings) {
      super(settings);
    }

    @Override
    Profile profile(Pair input) {
      return input.profile();
    }

    @Override
    public String callId(Pair p) {
      return p.dialogueId();
    }

    Map<String, Object> pairContext(Pair p) {
      Map<String, Object> ctx = context(p.profile());
      ctx.put("partner", p.partner().name());
      ctx.put("partnerDescription", p.partner().description());
      ctx.put("scene", p.scene() == null ? "" : p.scene());
      return ctx;
    }
  }

  /** Scratch mode: the scene in which the role meets the partner. */
  static final class DescribeScene extends PairTask {
    DescribeScene(BeyondDialogueSettings settings) {
      super(settings);
    }

    @Override
    public String stage() {
      return "bd_scene";
    }

    @Override
    public ChatRequest request(Pair p) {
      return settings.request(stage(), context(p.profile()), pairContext(p), callId(p));
    }

    @Override
    public AnswerCheck check(Pair p) {
      return a -> words(a.get("scene").asText()) > 150 ? "\"scene\" must be at most 100 words" : null;
    }

    @Override
    public List<Pair> parse(Pair p, CallOutcome outcome) {
      return List.of(p.withScene(outcome.json().get("scene").asText().strip()));
    }
  }

  /** Scratch mode: the role's six emotion scores in the scene, which the role turns then play. */
  static final class RateEmotions extends PairTask {
    RateEmotions(BeyondDialogueSettings settings) {
      super(settings);
    }

    @Override
    public String stage() {
      return "bd_emotion";
    }

    @Override
    public ChatRequest request(Pair p) {
      return settings.request(stage(), context(p.profile()), pairContext(p), callId(p));
    }

    @Override
    public List<Pair> parse(Pair p, CallOutcome outcome) {
      return List.of(p.withEmotions(emotions(outcome.json())));
    }
  }

  /** Scratch mode: how close the role is to the partner, 0-10. */
  static final class RateRelationship extends PairTask {
    RateRelationship(BeyondDialogueSettings settings) {
      super(settings);
    }

    @Override
    public String stage() {
      return "bd_relationship";
    }

    @Override
    public ChatRequest request(Pair p) {
      return settings.request(stage(), context(p.profile()), pairContext(p), callId(p));
    }

    @Override
    public List<Pair> parse(Pair p, CallOutcome outcome) {
      return List.of(p.withRelationship(outcome.json().get("relationship").asInt()));
    }
  }

  /** The role-play system prompt (the authors' SystemPromptTemplate) for given profile values. */
  static String rolePlaySystem(BeyondDialogueSettings settings, Profile p, List<String> character, List<String> style,
      String mbti, String scene, Emotions emotions, String partner, int relationship) {
    Map<String, Object> ctx = context(p);
    ctx.put("character", String.join(", ", character));
    ctx.put("style", String.join(", ", style));
    ctx.put("mbti", mbti);
    ctx.put("mbtiWords", Profiles.mbtiWords(mbti));
    ctx.put("scene", scene);
    List<Map<String, Object>> e = new ArrayList<>();
    emotions.asMap().forEach((k, v) -> e.add(Map.of("emotion", k, "score", v)));
    ctx.put("emotions", e);
    ctx.put("partner", partner);
    ctx.put("relationship", relationship);
    return settings.render("roleplay.system", ctx);
  }

  /** Base for the alternating turns of a simulated dialogue. */
  abstract static class TurnTask extends ProfileTask<Conversation, Conversation> {
    TurnTask(BeyondDialogueSettings settings) {
      super(settings);
    }

    @Override
    Profile profile(Conversation input) {
      return input.pair().profile();
    }

    @Override
    public String callId(Conversation c) {
      return c.nextCallId();
    }

    /** The conversation so far from one speaker's side: their lines are the assistant's. */
    List<ChatMessage> history(Conversation c, String system, String self, String opener) {
      List<ChatMessage> m = new ArrayList<>(List.of(ChatMessage.system(system)));
      if (c.lines().isEmpty() || c.lines().get(0).speaker().equals(self)) {
        m.add(ChatMessage.user(opener));
      }
      for (Line l : c.lines()) {
        m.add(l.speaker().equals(self) ? ChatMessage.assistant(l.render()) : ChatMessage.user(l.render()));
      }
      return m;
    }

    AnswerCheck notRepeated(Conversation c, int maxWords) {
      Set<String> said = new LinkedHashSet<>();
      c.lines().forEach(l -> said.add(norm(l.text())));
      return a -> {
        String line = a.get("line").asText();
        if (said.contains(norm(line))) {
          return "this line was already said; say something new";
        }
        return maxWords > 0 && words(line) > maxWords ? "\"line\" must be at most " + maxWords + " words" : null;
      };
    }

    Conversation next(Conversation c, String speaker, CallOutcome outcome) {
      return c.with(new Line(speaker, outcome.json().get("line").asText().strip(), outcome.json().path("action").asText("").strip()));
    }
  }

  /** The partner's turn (the authors' ChatRoleSysPrompt): short, on varied topics, never repeating. */
  static final class PartnerTurn extends TurnTask {
    PartnerTurn(BeyondDialogueSettings settings) {
      super(settings);
    }

    @Override
    public String stage() {
      return "bd_partner_turn";
    }

    @Override
    public ChatRequest request(Conversation c) {
      Pair p = c.pair();
      Map<String, Object> ctx = context(p.profile());
      ctx.put("partner", p.partner().name());
      ctx.put("partnerDescription", p.partner().description());
      ctx.put("scene", p.scene());
      ctx.put("maxWords", settings.maxPartnerWords);
      String system = settings.system(stage(), ctx);
      return settings.request(stage(), history(c, system, p.partner().name(),
          "(The scene begins. Speak first to " + p.profile().name() + ".)"), callId(c));
    }

    @Override
    public AnswerCheck check(Conversation c) {
      return notRepeated(c, settings.maxPartnerWords);
    }

    @Override
    public List<Conversation> parse(Conversation c, CallOutcome outcome) {
      return List.of(next(c, c.pair().partner().name(), outcome));
    }
  }

  /** The role's turn, played from the original profile with the planned scene, emotions and intimacy. */
  static final class RoleTurn extends TurnTask {
    RoleTurn(BeyondDialogueSettings settings) {
      super(settings);
    }

    @Override
    public String stage() {
      return "bd_role_turn";
    }

    @Override
    public ChatRequest request(Conversation c) {
      Pair p = c.pair();
      Profile pr = p.profile();
      String system = rolePlaySystem(settings, pr, pr.character(), pr.style(), pr.mbti(), p.scene(), p.emotions(),
          p.partner().name(), p.relationship());
      return settings.request(stage(), history(c, system, pr.name(), ""), callId(c));
    }

    @Override
    public AnswerCheck check(Conversation c) {
      return notRepeated(c, 0);
    }

    @Override
    public List<Conversation> parse(Conversation c, CallOutcome outcome) {
      return List.of(next(c, c.pair().profile().name(), outcome));
    }
  }

  /** Source mode, stage 3: one sample of how well the role's lines in a chunk reflect the profile (1-10). */
  static final class ScoreChunk extends ProfileTask<ChunkSample, ScoredChunk> {
    ScoreChunk(BeyondDialogueSettings settings) {
      super(settings);
    }

    @Override
    Profile profile(ChunkSample input) {
      return input.chunk().profile();
    }

    @Override
    public String stage() {
      return "bd_chunk_score";
    }

    @Override
    public String callId(ChunkSample s) {
      return s.callId();
    }

    @Override
    public ChatRequest request(ChunkSample s) {
      Map<String, Object> ctx = context(s.chunk().profile());
      ctx.put("chunk", s.chunk().text());
      // Samples differ only by seed, so their mean is the authors' five-sample score.
      return settings.request(stage(), context(s.chunk().profile()), ctx, callId(s));
    }

    @Override
    public List<ScoredChunk> parse(ChunkSample s, CallOutcome outcome) {
      return List.of(new ScoredChunk(s.chunk(), outcome.json().get("score").asInt(), 1, null));
    }
  }

  /** Base for the stages over a kept chunk. */
  abstract static class ChunkTask<O> extends ProfileTask<ScoredChunk, O> {
    ChunkTask(BeyondDialogueSettings settings) {
      super(settings);
    }

    @Override
    Profile profile(ScoredChunk input) {
      return input.chunk().profile();
    }

    @Override
    public String callId(ScoredChunk c) {
      return c.chunk().key();
    }

    Map<String, Object> chunkContext(ScoredChunk c) {
      Map<String, Object> ctx = context(c.chunk().profile());
      ctx.put("chunk", c.chunk().text());
      ctx.put("chunkScene", c.scene() == null ? "" : c.scene());
      return ctx;
    }
  }

  /** Source mode, stage 2: the key scene of a chunk (time, place, people, events; no dialogue). */
  static final class ExtractChunkScene extends ChunkTask<ScoredChunk> {
    ExtractChunkScene(BeyondDialogueSettings settings) {
      super(settings);
    }

    @Override
    public String stage() {
      return "bd_chunk_scene";
    }

    @Override
    public ChatRequest request(ScoredChunk c) {
      return settings.request(stage(), context(c.chunk().profile()), chunkContext(c), callId(c));
    }

    @Override
    public AnswerCheck check(ScoredChunk c) {
      return a -> words(a.get("scene").asText()) > 200 ? "\"scene\" must be at most 150 words" : null;
    }

    @Override
    public List<ScoredChunk> parse(ScoredChunk c, CallOutcome outcome) {
      return List.of(c.withScene(outcome.json().get("scene").asText().strip()));
    }
  }

  /** Source mode, stages 5-6: the chunk's dialogue as speaker | line | action rows, then two-person alternation. */
  static final class ExtractDialogue extends ChunkTask<Dialogue> {
    ExtractDialogue(BeyondDialogueSettings settings) {
      super(settings);
    }

    @Override
    public String stage() {
      return "bd_extract";
    }

    @Override
    public ChatRequest request(ScoredChunk c) {
      return settings.request(stage(), context(c.chunk().profile()), chunkContext(c), callId(c));
    }

    @Override
    public AnswerCheck check(ScoredChunk c) {
      Profile p = c.chunk().profile();
      return a -> {
        for (JsonNode r : a.get("rows")) {
          if (TwoPersonDialogue.isRole(r.get("speaker").asText(), p.name(), p.names())) {
            return null;
          }
        }
        return "no row has " + p.name() + " (or an alias) as speaker; include " + p.name() + "'s lines, with the name exactly";
      };
    }

    @Override
    public List<Dialogue> parse(ScoredChunk c, CallOutcome outcome) {
      Profile p = c.chunk().profile();
      List<Line> rows = new ArrayList<>();
      for (JsonNode r : outcome.json().get("rows")) {
        rows.add(new Line(r.get("speaker").asText(), r.get("line").asText(), r.path("action").asText("")));
      }
      TwoPersonDialogue.Result ab = TwoPersonDialogue.of(rows, p.name(), p.names());
      if (ab.problem() != null) {
        throw new IllegalArgumentException(ab.problem());
      }
      SourceInfo src = new SourceInfo(c.chunk().id(), c.score(), c.scene(), -1, -1, "");
      return List.of(new Dialogue(c.chunk().key(), p, "source", new Partner(ab.partner(), ""), c.scene(), ab.lines(),
          null, null, src, 3 + c.samples()));
    }
  }

  /** Base for the per-dialogue stages. */
  abstract static class DialogueTask<O> extends ProfileTask<Dialogue, O> {
    DialogueTask(BeyondDialogueSettings settings) {
      super(settings);
    }

    @Override
    Profile profile(Dialogue input) {
      return input.profile();
    }

    @Override
    public String callId(Dialogue d) {
      return d.id() + "/" + stage();
    }

    Map<String, Object> dialogueContext(Dialogue d) {
      Map<String, Object> ctx = context(d.profile());
      ctx.put("partner", d.partner().name());
      ctx.put("scene", d.scene() == null ? "" : d.scene());
      ctx.put("chunkScene", d.source() == null || d.source().chunkScene() == null ? "" : d.source().chunkScene());
      ctx.put("dialogue", d.transcript());
      return ctx;
    }
  }

  /** Source mode, stage 7: the dialogue's own sub-scene, and whether the dialogue hangs together. */
  static final class ReconstructScene extends DialogueTask<Dialogue> {
    ReconstructScene(BeyondDialogueSettings settings) {
      super(settings);
    }

    @Override
    public String stage() {
      return "bd_subscene";
    }

    @Override
    public ChatRequest request(Dialogue d) {
      return settings.request(stage(), context(d.profile()), dialogueContext(d), callId(d));
    }

    @Override
    public List<Dialogue> parse(Dialogue d, CallOutcome outcome) {
      SourceInfo s = d.source();
      SourceInfo src = new SourceInfo(s.chunkId(), s.chunkScore(), s.chunkScene(), outcome.json().get("coherence").asInt(),
          s.conflict(), s.conflictAnalysis());
      return List.of(d.withScene(outcome.json().get("scene").asText().strip(), src, 1));
    }
  }

  /** Source mode, stage 8: does the dialogue contradict the role's profile? */
  static final class CheckConflict extends DialogueTask<Dialogue> {
    CheckConflict(BeyondDialogueSettings settings) {
      super(settings);
    }

    @Override
    public String stage() {
      return "bd_conflict";
    }

    @Override
    public ChatRequest request(Dialogue d) {
      return settings.request(stage(), context(d.profile()), dialogueContext(d), callId(d));
    }

    @Override
    public List<Dialogue> parse(Dialogue d, CallOutcome outcome) {
      SourceInfo s = d.source();
      SourceInfo src = new SourceInfo(s.chunkId(), s.chunkScore(), s.chunkScene(), s.coherence(),
          outcome.json().get("conflict").asInt(), outcome.json().get("analysis").asText().strip());
      return List.of(d.withScene(d.scene(), src, 1));
    }
  }

  /**
   * Stage 9: one of the five CSERP alignment tasks. Each answers with brief reasoning, then JSON;
   * tag answers are limited to the role's own tags, MBTI letters are checked against their pairs.
   */
  static final class Align extends DialogueTask<Label> {
    private final String task;

    Align(BeyondDialogueSettings settings, String task) {
      super(settings);
      if (!Bd.TASKS.contains(task)) {
        throw new IllegalArgumentException("unknown alignment task " + task);
      }
      this.task = task;
    }

    @Override
    public String stage() {
      return "bd_align_" + task;
    }

    private List<String> candidates(Dialogue d) {
      return task.equals("character") ? d.profile().character() : d.profile().style();
    }

    String instruction(Dialogue d) {
      Map<String, Object> ctx = dialogueContext(d);
      if (task.equals("character") || task.equals("style")) {
        ctx.put("candidates", String.join(", ", candidates(d)));
      }
      return settings.render(settings.stage(stage()).user(), ctx);
    }

    private JsonNode schema(Dialogue d) {
      switch (task) {
        case "character", "style" -> {
          ObjectNode s = settings.schema("align_tags").deepCopy();
          ObjectNode props = (ObjectNode) s.get("properties");
          ObjectNode tags = (ObjectNode) props.remove("tags");
          ArrayNode allowed = ((ObjectNode) tags.get("items")).putArray("enum");
          candidates(d).forEach(allowed::add);
          tags.put("maxItems", candidates(d).size());
          props.set(task, tags);
          ArrayNode required = s.putArray("required");
          required.add("analysis").add(task);
          s.put("title", stage());
          return s;
        }
        case "emotion" -> {
          return settings.schema("emotion");
        }
        case "relationship" -> {
          return settings.schema("relationship");
        }
        default -> {
          return settings.schema("align_personality");
        }
      }
    }

    @Override
    public ChatRequest request(Dialogue d) {
      return settings.request(stage(), List.of(ChatMessage.system(analyst(d.profile())), ChatMessage.user(instruction(d))),
          callId(d)).withSchema(schema(d));
    }

    @Override
    public AnswerCheck check(Dialogue d) {
      return switch (task) {
        case "character", "style" -> a -> {
          Set<String> allowed = new LinkedHashSet<>();
          candidates(d).forEach(c -> allowed.add(norm(c)));
          for (JsonNode t : a.get(task)) {
            if (allowed.contains(norm(t.asText()))) {
              return null;
            }
          }
          return "choose at least one of the given " + task + " tags, exactly as written: " + String.join(", ", candidates(d));
        };
        case "personality" -> a -> Profiles.mbtiProblem(a.get("personality").asText());
        default -> AnswerCheck.NONE;
      };
    }

    @Override
    public List<Label> parse(Dialogue d, CallOutcome outcome) {
      JsonNode j = outcome.json();
      ObjectNode answer = MAPPER.createObjectNode();
      List<String> tags = List.of();
      Emotions emotions = null;
      Integer relationship = null;
      String mbti = null;
      switch (task) {
        case "character", "style" -> {
          Map<String, String> allowed = new LinkedHashMap<>();
          candidates(d).forEach(c -> allowed.put(norm(c), c));
          Set<String> kept = new LinkedHashSet<>();
          j.get(task).forEach(t -> {
            String c = allowed.get(norm(t.asText()));
            if (c != null) {
              kept.add(c);
            }
          });
          tags = new ArrayList<>(kept);
          var list = answer.putArray(task);
          tags.forEach(list::add);
        }
        case "emotion" -> {
          emotions = emotions(j);
          emotions.asMap().forEach(answer::put);
        }
        case "relationship" -> {
          relationship = j.get("relationship").asInt();
          answer.put("relationship", relationship);
        }
        default -> {
          mbti = j.get("personality").asText().strip().toUpperCase(Locale.ROOT);
          answer.put("personality", mbti);
        }
      }
      return List.of(new Label(d.id(), task, instruction(d), j.get("analysis").asText().strip(), answer.toString(), tags,
          emotions, relationship, mbti));
    }
  }
}
