package dev.rolesynth.beyond;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.beyond.Bd.Emotions;
import dev.rolesynth.beyond.Bd.Pair;
import dev.rolesynth.beyond.Bd.Partner;
import dev.rolesynth.beyond.Bd.PartnerChain;
import dev.rolesynth.beyond.Bd.Profile;
import dev.rolesynth.llm.Answers;
import dev.rolesynth.pipeline.Asking;
import dev.rolesynth.pipeline.Stage;
import dev.rolesynth.pipeline.Vars;
import dev.rolesynth.pool.Role;
import java.util.ArrayList;
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
  static Vars context(Profile p) {
    return Vars.of()
        .with("name", p.name())
        .with("aliases", String.join(", ", p.names().subList(1, p.names().size())))
        .with("language", Profiles.languageName(p.language()))
        .with("world", p.world())
        .with("character", String.join(", ", p.character()))
        .with("style", String.join(", ", p.style()))
        .with("mbti", p.mbti() == null ? "" : p.mbti())
        .with("mbtiWords", p.mbti() == null ? "" : Profiles.mbtiWords(p.mbti()))
        .with("description", p.role().description());
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

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(
        n -> {
          if (!n.asText().isBlank()) {
            out.add(n.asText().strip());
          }
        });
    return out;
  }

  static String norm(String s) {
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
    return Stage.<Profile>asking(
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
            })
        .giving(
            (p, j) ->
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
                    p.world().isBlank() ? Answers.text(j, "world") : p.world(),
                    p.language(),
                    p.sourceKey()))
        .calledAs(Profile::id);
  }

  /** Scratch mode: one more chat partner, distinctly different from those made so far. */
  static Stage<PartnerChain, PartnerChain> createPartner(BeyondDialogueSettings s) {
    return Stage.<PartnerChain>asking(
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
            })
        .giving(
            (c, j) ->
                c.with(new Partner(Answers.text(j, "chat_role"), Answers.text(j, "role_des"))))
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

  static Vars pairContext(Pair p) {
    return context(p.profile())
        .with("partner", p.partner().name())
        .with("partnerDescription", p.partner().description())
        .with("scene", p.scene() == null ? "" : p.scene());
  }

  /**
   * Scratch mode's per-pair stages: the scene, the role's emotions in it, its intimacy with the
   * partner.
   */
  static Stage<Pair, Pair> pairStage(
      BeyondDialogueSettings s, String name, Asking.Making<Pair, JsonNode, Pair> one) {
    return Stage.<Pair>asking(name, s, BdTasks::pairContext).giving(one).calledAs(Pair::dialogueId);
  }

  /** Scratch mode: the scene in which the role meets the partner. */
  static Stage<Pair, Pair> describeScene(BeyondDialogueSettings s) {
    return pairStage(s, "bd_scene", (p, j) -> p.withScene(Answers.text(j, "scene")))
        .checkedBy(
            (p, a) ->
                words(a.get("scene").asText()) > 150
                    ? "\"scene\" must be at most 100 words"
                    : null);
  }

  /** Scratch mode: the role's six emotion scores in the scene, which the role turns then play. */
  static Stage<Pair, Pair> rateEmotions(BeyondDialogueSettings s) {
    return pairStage(s, "bd_emotion", (p, j) -> p.withEmotions(emotions(j)));
  }

  /** Scratch mode: how close the role is to the partner, 0-10. */
  static Stage<Pair, Pair> rateRelationship(BeyondDialogueSettings s) {
    return pairStage(
        s, "bd_relationship", (p, j) -> p.withRelationship(j.get("relationship").asInt()));
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
}
