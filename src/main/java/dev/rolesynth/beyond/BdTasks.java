package dev.rolesynth.beyond;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.beyond.Bd.ChunkSample;
import dev.rolesynth.beyond.Bd.Conversation;
import dev.rolesynth.beyond.Bd.Dialogue;
import dev.rolesynth.beyond.Bd.Emotions;
import dev.rolesynth.beyond.Bd.Line;
import dev.rolesynth.beyond.Bd.Pair;
import dev.rolesynth.beyond.Bd.Partner;
import dev.rolesynth.beyond.Bd.PartnerChain;
import dev.rolesynth.beyond.Bd.Profile;
import dev.rolesynth.beyond.Bd.ScoredChunk;
import dev.rolesynth.beyond.Bd.SourceInfo;
import dev.rolesynth.llm.ChatMessage;
import dev.rolesynth.pipeline.Stage;
import dev.rolesynth.pool.Role;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Beyond Dialogue's LLM stages (docs/pipelines/beyond-dialogue.md), each a template, a schema,
 * checks and a parser.
 */
final class BdTasks {
  private BdTasks() {}

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

  /**
   * Word count for limits: whitespace words, or characters over two for scripts written without
   * spaces.
   */
  static int words(String text) {
    String t = text.strip();
    if (t.isEmpty()) {
      return 0;
    }
    long han =
        t.codePoints()
            .filter(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN)
            .count();
    return han > t.length() / 3 ? (int) Math.ceil(t.length() / 2.0) : t.split("\\s+").length;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(
        n -> {
          if (!n.asText().isBlank()) {
            out.add(n.asText().strip());
          }
        });
    return out;
  }

  private static String norm(String s) {
    return s.strip().toLowerCase(Locale.ROOT);
  }

  static Emotions emotions(JsonNode json) {
    List<Integer> v = new ArrayList<>();
    for (String e : Bd.EMOTIONS) {
      v.add(json.get(e).asInt());
    }
    return new Emotions(v);
  }

  /**
   * Profile preprocessing (the authors' character abstraction): fills the slots a pool did not
   * give.
   */
  static Stage<Profile, Profile> completeProfile(BeyondDialogueSettings s) {
    return Stage.<Profile, Profile>rendering(
            "bd_profile",
            s,
            p -> {
              Map<String, Object> ctx = context(p);
              List<Map<String, String>> fields = new ArrayList<>();
              for (Role.Field f : p.role().profile()) {
                String v = f.value().replaceAll("\\s+", " ");
                fields.add(
                    Map.of(
                        "key",
                        f.key(),
                        "value",
                        v.length() > s.maxPromptFieldChars
                            ? v.substring(0, s.maxPromptFieldChars) + " …"
                            : v));
              }
              ctx.put("fields", fields);
              return ctx;
            },
            (p, j) ->
                List.of(
                    new Profile(
                        p.role(),
                        p.names(),
                        p.character().isEmpty()
                            ? new ArrayList<>(new LinkedHashSet<>(strings(j.get("character"))))
                            : p.character(),
                        p.style().isEmpty()
                            ? new ArrayList<>(new LinkedHashSet<>(strings(j.get("style"))))
                            : p.style(),
                        p.mbti() == null
                            ? j.get("personality").asText().toUpperCase(Locale.ROOT)
                            : p.mbti(),
                        p.world().isBlank() ? j.get("world").asText().strip() : p.world(),
                        p.language(),
                        p.sourceKey())))
        .calledAs(Profile::id);
  }

  /** Scratch mode: one more chat partner, distinctly different from those made so far. */
  static Stage<PartnerChain, PartnerChain> createPartner(BeyondDialogueSettings s) {
    return Stage.<PartnerChain, PartnerChain>rendering(
            "bd_partner",
            s,
            c -> {
              Map<String, Object> ctx = context(c.profile());
              List<Map<String, String>> so = new ArrayList<>();
              c.partners()
                  .forEach(p -> so.add(Map.of("name", p.name(), "description", p.description())));
              ctx.put("partners", so);
              ctx.put("hasPartners", !so.isEmpty());
              return ctx;
            },
            (c, j) ->
                List.of(
                    c.with(
                        new Partner(
                            j.get("chat_role").asText().strip(),
                            j.get("role_des").asText().strip()))))
        .calledAs(PartnerChain::nextCallId)
        .checkedBy(
            (c, a) -> {
              Set<String> taken = new LinkedHashSet<>();
              c.profile().names().forEach(n -> taken.add(norm(n)));
              c.partners().forEach(p -> taken.add(norm(p.name())));
              String name = a.get("chat_role").asText();
              if (taken.contains(norm(name))) {
                return "\""
                    + name
                    + "\" is already taken; create a different partner with a new first name";
              }
              return words(a.get("role_des").asText()) > 120
                  ? "\"role_des\" must be at most 100 words"
                  : null;
            });
  }

  static Map<String, Object> pairContext(Pair p) {
    Map<String, Object> ctx = context(p.profile());
    ctx.put("partner", p.partner().name());
    ctx.put("partnerDescription", p.partner().description());
    ctx.put("scene", p.scene() == null ? "" : p.scene());
    return ctx;
  }

  /**
   * Scratch mode's per-pair stages: the scene, the role's emotions in it, its intimacy with the
   * partner.
   */
  static Stage<Pair, Pair> pairStage(
      BeyondDialogueSettings s, String name, Stage.Parser<Pair, Pair> parser) {
    return Stage.rendering(name, s, BdTasks::pairContext, parser).calledAs(Pair::dialogueId);
  }

  /** Scratch mode: the scene in which the role meets the partner. */
  static Stage<Pair, Pair> describeScene(BeyondDialogueSettings s) {
    return pairStage(s, "bd_scene", (p, j) -> List.of(p.withScene(j.get("scene").asText().strip())))
        .checkedBy(
            (p, a) ->
                words(a.get("scene").asText()) > 150
                    ? "\"scene\" must be at most 100 words"
                    : null);
  }

  /** Scratch mode: the role's six emotion scores in the scene, which the role turns then play. */
  static Stage<Pair, Pair> rateEmotions(BeyondDialogueSettings s) {
    return pairStage(s, "bd_emotion", (p, j) -> List.of(p.withEmotions(emotions(j))));
  }

  /** Scratch mode: how close the role is to the partner, 0-10. */
  static Stage<Pair, Pair> rateRelationship(BeyondDialogueSettings s) {
    return pairStage(
        s, "bd_relationship", (p, j) -> List.of(p.withRelationship(j.get("relationship").asInt())));
  }

  /** The role-play system prompt (the authors' SystemPromptTemplate) for given profile values. */
  static String rolePlaySystem(
      BeyondDialogueSettings settings,
      Profile p,
      List<String> character,
      List<String> style,
      String mbti,
      String scene,
      Emotions emotions,
      String partner,
      int relationship) {
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

  /** The conversation so far from one speaker's side: their lines are the assistant's. */
  static List<ChatMessage> history(Conversation c, String system, String self, String opener) {
    List<ChatMessage> m = new ArrayList<>(List.of(ChatMessage.system(system)));
    if (c.lines().isEmpty() || c.lines().get(0).speaker().equals(self)) {
      m.add(ChatMessage.user(opener));
    }
    for (Line l : c.lines()) {
      m.add(
          l.speaker().equals(self)
              ? ChatMessage.assistant(l.render())
              : ChatMessage.user(l.render()));
    }
    return m;
  }

  static String repeated(Conversation c, JsonNode a, int maxWords) {
    Set<String> said = new LinkedHashSet<>();
    c.lines().forEach(l -> said.add(norm(l.text())));
    String line = a.get("line").asText();
    if (said.contains(norm(line))) {
      return "this line was already said; say something new";
    }
    return maxWords > 0 && words(line) > maxWords
        ? "\"line\" must be at most " + maxWords + " words"
        : null;
  }

  static Conversation next(Conversation c, String speaker, JsonNode j) {
    return c.with(
        new Line(speaker, j.get("line").asText().strip(), j.path("action").asText("").strip()));
  }

  /**
   * The partner's turn (the authors' ChatRoleSysPrompt): short, on varied topics, never repeating.
   */
  static Stage<Conversation, Conversation> partnerTurn(BeyondDialogueSettings s) {
    return Stage.<Conversation, Conversation>chatting(
            "bd_partner_turn",
            s,
            c -> {
              Pair p = c.pair();
              Map<String, Object> ctx = context(p.profile());
              ctx.put("partner", p.partner().name());
              ctx.put("partnerDescription", p.partner().description());
              ctx.put("scene", p.scene());
              ctx.put("maxWords", s.maxPartnerWords);
              return history(
                  c,
                  s.system("bd_partner_turn", ctx),
                  p.partner().name(),
                  "(The scene begins. Speak first to " + p.profile().name() + ".)");
            },
            (c, j) -> List.of(next(c, c.pair().partner().name(), j)))
        .calledAs(Conversation::nextCallId)
        .checkedBy((c, a) -> repeated(c, a, s.maxPartnerWords));
  }

  /**
   * The role's turn, played from the original profile with the planned scene, emotions and
   * intimacy.
   */
  static Stage<Conversation, Conversation> roleTurn(BeyondDialogueSettings s) {
    return Stage.<Conversation, Conversation>chatting(
            "bd_role_turn",
            s,
            c -> {
              Pair p = c.pair();
              Profile pr = p.profile();
              return history(
                  c,
                  rolePlaySystem(
                      s,
                      pr,
                      pr.character(),
                      pr.style(),
                      pr.mbti(),
                      p.scene(),
                      p.emotions(),
                      p.partner().name(),
                      p.relationship()),
                  pr.name(),
                  "");
            },
            (c, j) -> List.of(next(c, c.pair().profile().name(), j)))
        .calledAs(Conversation::nextCallId)
        .checkedBy((c, a) -> repeated(c, a, 0));
  }

  /**
   * Source mode, stage 3: one sample of how well the role's lines in a chunk reflect the profile
   * (1-10).
   */
  static Stage<ChunkSample, ScoredChunk> scoreChunk(BeyondDialogueSettings s) {
    // Samples differ only by seed, so their mean is the authors' five-sample score.
    return Stage.<ChunkSample, ScoredChunk>rendering(
            "bd_chunk_score",
            s,
            c -> {
              Map<String, Object> ctx = context(c.chunk().profile());
              ctx.put("chunk", c.chunk().text());
              return ctx;
            },
            (c, j) -> List.of(new ScoredChunk(c.chunk(), j.get("score").asInt(), 1, null)))
        .calledAs(ChunkSample::callId);
  }

  static Map<String, Object> chunkContext(ScoredChunk c) {
    Map<String, Object> ctx = context(c.chunk().profile());
    ctx.put("chunk", c.chunk().text());
    ctx.put("chunkScene", c.scene() == null ? "" : c.scene());
    return ctx;
  }

  /** Source mode, stage 2: the key scene of a chunk (time, place, people, events; no dialogue). */
  static Stage<ScoredChunk, ScoredChunk> extractChunkScene(BeyondDialogueSettings s) {
    return Stage.<ScoredChunk, ScoredChunk>rendering(
            "bd_chunk_scene",
            s,
            BdTasks::chunkContext,
            (c, j) -> List.of(c.withScene(j.get("scene").asText().strip())))
        .calledAs(c -> c.chunk().key())
        .checkedBy(
            (c, a) ->
                words(a.get("scene").asText()) > 200
                    ? "\"scene\" must be at most 150 words"
                    : null);
  }

  /**
   * Source mode, stages 5-6: the chunk's dialogue as speaker | line | action rows, then two-person
   * alternation.
   */
  static Stage<ScoredChunk, Dialogue> extractDialogue(BeyondDialogueSettings s) {
    return Stage.<ScoredChunk, Dialogue>rendering(
            "bd_extract",
            s,
            BdTasks::chunkContext,
            (c, j) -> {
              Profile p = c.chunk().profile();
              List<Line> rows = new ArrayList<>();
              for (JsonNode r : j.get("rows")) {
                rows.add(
                    new Line(
                        r.get("speaker").asText(),
                        r.get("line").asText(),
                        r.path("action").asText("")));
              }
              TwoPersonDialogue.Result ab = TwoPersonDialogue.of(rows, p.name(), p.names());
              if (ab.problem() != null) {
                throw new IllegalArgumentException(ab.problem());
              }
              SourceInfo src = new SourceInfo(c.chunk().id(), c.score(), c.scene(), -1, -1, "");
              return List.of(
                  new Dialogue(
                      c.chunk().key(),
                      p,
                      "source",
                      new Partner(ab.partner(), ""),
                      c.scene(),
                      ab.lines(),
                      null,
                      null,
                      src,
                      3 + c.samples()));
            })
        .calledAs(c -> c.chunk().key())
        .checkedBy(
            (c, a) -> {
              Profile p = c.chunk().profile();
              for (JsonNode r : a.get("rows")) {
                if (TwoPersonDialogue.isRole(r.get("speaker").asText(), p.name(), p.names())) {
                  return null;
                }
              }
              return "no row has "
                  + p.name()
                  + " (or an alias) as speaker; include "
                  + p.name()
                  + "'s lines, with the name exactly";
            });
  }

  static Map<String, Object> dialogueContext(Dialogue d) {
    Map<String, Object> ctx = context(d.profile());
    ctx.put("partner", d.partner().name());
    ctx.put("scene", d.scene() == null ? "" : d.scene());
    ctx.put(
        "chunkScene",
        d.source() == null || d.source().chunkScene() == null ? "" : d.source().chunkScene());
    ctx.put("dialogue", d.transcript());
    return ctx;
  }

  /**
   * Source mode, stage 7: the dialogue's own sub-scene, and whether the dialogue hangs together.
   */
  static Stage<Dialogue, Dialogue> reconstructScene(BeyondDialogueSettings s) {
    return Stage.<Dialogue, Dialogue>rendering(
            "bd_subscene",
            s,
            BdTasks::dialogueContext,
            (d, j) -> {
              SourceInfo was = d.source();
              SourceInfo src =
                  new SourceInfo(
                      was.chunkId(),
                      was.chunkScore(),
                      was.chunkScene(),
                      j.get("coherence").asInt(),
                      was.conflict(),
                      was.conflictAnalysis());
              return List.of(d.withScene(j.get("scene").asText().strip(), src, 1));
            })
        .calledAs(d -> d.key() + "/bd_subscene");
  }

  /** Source mode, stage 8: does the dialogue contradict the role's profile? */
  static Stage<Dialogue, Dialogue> checkConflict(BeyondDialogueSettings s) {
    return Stage.<Dialogue, Dialogue>rendering(
            "bd_conflict",
            s,
            BdTasks::dialogueContext,
            (d, j) -> {
              SourceInfo was = d.source();
              SourceInfo src =
                  new SourceInfo(
                      was.chunkId(),
                      was.chunkScore(),
                      was.chunkScene(),
                      was.coherence(),
                      j.get("conflict").asInt(),
                      j.get("analysis").asText().strip());
              return List.of(d.withScene(d.scene(), src, 1));
            })
        .calledAs(d -> d.key() + "/bd_conflict");
  }
}
