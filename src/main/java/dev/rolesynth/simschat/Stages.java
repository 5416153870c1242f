package dev.rolesynth.simschat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.core.Draws;
import dev.rolesynth.llm.Answers;
import dev.rolesynth.pipeline.DistinctNames.Naming;
import dev.rolesynth.pipeline.Settings;
import dev.rolesynth.pipeline.Stage;
import dev.rolesynth.pipeline.Vars;
import dev.rolesynth.prompt.MethodData;
import dev.rolesynth.simschat.SimsChat.Character;
import dev.rolesynth.simschat.SimsChat.Dialogue;
import dev.rolesynth.simschat.SimsChat.Elements;
import dev.rolesynth.simschat.SimsChat.Line;
import dev.rolesynth.simschat.SimsChat.Partner;
import dev.rolesynth.simschat.SimsChat.Personal;
import dev.rolesynth.simschat.SimsChat.Scene;
import dev.rolesynth.simschat.SimsChat.SceneIdea;
import dev.rolesynth.simschat.SimsChat.Social;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * SimsChat's stages: what each reads from its record, the checks its answers must pass, what it
 * makes of them.
 */
final class Stages {
  private static final MethodData DATA = MethodData.of(SimsChat.PIPELINE);

  /** The Sims' 16 emotions, one per scene drawn uniformly by the seed (data.yaml). */
  static final List<String> EMOTIONS = DATA.list("emotions");

  /** Conversation topics weighted as the authors' dialogues have them (data.yaml). */
  static final Map<String, Integer> TOPICS = DATA.weights("topics");

  /** Who else a scene has when the run made one character only. */
  static final String NOBODY = "whoever the scene needs";

  static final int MIN_LINES = 5;
  static final int MAX_LINES = 16;

  private Stages() {}

  /** The answers' shapes, as their schemas in pipelines/simschat/ give them. */
  record Aspects(String name, int age, Personal personal, Social social) {}

  record Scenes(List<SceneIdea> scenes) {}

  record Lines(String setting, List<Line> dialogue) {}

  /**
   * The character's name and aspects; asked again, with the run's names taken, for a character
   * whose name another (of a smaller id) already has.
   */
  static Stage<Naming<Elements>, Character> aspects(Settings<SimsChatKnobs> s) {
    return Stage.<Naming<Elements>>asking(
            "sims_aspects", s, n -> Vars.of(n.subject()).with("taken", n.takenText()))
        .reading(
            Aspects.class,
            (n, a) ->
                new Character(
                    n.subject(), a.name(), a.age(), a.personal(), a.social(), "", List.of(), 0))
        .checkedBy((n, a) -> n.problem(a.get("name").asText()));
  }

  static Stage<Character, Character> profile(Settings<SimsChatKnobs> s) {
    return Stage.<Character>asking("sims_profile", s, Vars::of)
        .giving((c, a) -> c.withProfile(Answers.text(a, "profile")))
        .checkedBy((c, a) -> profileProblem(c, a.get("profile").asText()));
  }

  static String profileProblem(Character c, String profile) {
    if (!Pattern.compile("(?i)\\byou\\b").matcher(profile).find()) {
      return "write the profile in the second person (\"You are " + c.name() + " ...\")";
    }
    return profile.contains(c.name().split(" ")[0]) ? null : "the profile must name " + c.name();
  }

  /** The character's scenes, exactly --scenesPerCharacter of them. */
  static Stage<Character, Scene> scenes(Settings<SimsChatKnobs> s) {
    return Stage.<Character>asking(
            "sims_scenes",
            s,
            c -> Vars.of(c).with("count", s.opt.scenesPerCharacter()).with("plan", plan(s, c)))
        .readingEach(
            Scenes.class,
            (c, a) ->
                IntStream.rangeClosed(1, a.scenes().size())
                    .mapToObj(
                        i ->
                            new Scene(
                                c,
                                i,
                                a.scenes().get(i - 1),
                                topic(s.seed, c.id(), i),
                                emotion(s.seed, c.id(), i),
                                c.partner(i),
                                0))
                    .toList())
        .sized("scenes", c -> s.opt.scenesPerCharacter(), 0);
  }

  /**
   * The others of the run a character meets in its scenes, one per scene drawn by the seed (taken
   * in turn when there are fewer others than scenes): in the authors' data the other speakers are
   * their other customised characters. A run of one character has nobody to meet; its scenes then
   * bring in people the model invents.
   */
  static List<Partner> partners(Character c, List<Character> all, int n, long seed) {
    return Draws.others(all, c.id(), Character::id, n, seed).stream()
        .map(o -> new Partner(o.name(), o.about()))
        .toList();
  }

  /** Scene {@code scene}'s topic (from 1), drawn by the authors' weights. */
  static String topic(long seed, String character, int scene) {
    return Draws.weighted(TOPICS, seed, character, "topic", Integer.toString(scene));
  }

  /** Scene by scene, its conversation topic and the other character in it, one a line. */
  private static String plan(Settings<SimsChatKnobs> s, Character c) {
    StringBuilder out = new StringBuilder();
    for (int i = 1; i <= s.opt.scenesPerCharacter(); i++) {
      out.append(i == 1 ? "" : "\n").append(i).append(". topic: ").append(topic(s.seed, c.id(), i));
      if (c.partner(i) != null) {
        out.append("; with ").append(c.partner(i).about());
      }
    }
    return out.toString();
  }

  static String emotion(long seed, String character, int scene) {
    return Draws.pick(EMOTIONS, seed, character, "emotion", Integer.toString(scene));
  }

  static Stage<Scene, Dialogue> dialogue(Settings<SimsChatKnobs> s) {
    return Stage.<Scene>asking("sims_dialogue", s, Stages::sceneContext)
        .reading(Lines.class, (sc, a) -> new Dialogue(sc, a.setting(), a.dialogue(), 0))
        .keyedBy(sc -> "s" + sc.index())
        .checkedBy((sc, a) -> dialogueProblem(sc, a.get("dialogue")));
  }

  /**
   * The character speaks and thinks at least once; only the character thinks (others' thoughts are
   * not ours to write).
   */
  static String dialogueProblem(Scene sc, JsonNode lines) {
    String name = sc.character().name();
    if (lines.isEmpty() || !isCharacter(lines.get(0).get("role").asText(), name)) {
      return name + " opens the conversation: the first line must be " + name + "'s";
    }
    if (sc.partner() != null
        && !lines.findValues("role").stream()
            .anyMatch(r -> isCharacter(r.asText(), sc.partner().name()))) {
      return sc.partner().name() + " is in the scene and must speak at least once";
    }
    boolean spoke = false;
    boolean thought = false;
    for (JsonNode l : lines) {
      boolean mine = isCharacter(l.get("role").asText(), name);
      boolean thinking = l.get("action").asText().equals(SimsChat.THINKING);
      if (thinking && !mine) {
        return "only "
            + name
            + "'s lines may be (thinking); "
            + l.get("role").asText()
            + " can only speak";
      }
      spoke |= mine && !thinking;
      thought |= mine && thinking;
    }
    return !spoke
        ? name + " must speak at least once"
        : !thought ? name + " must think at least once, as (thinking)" : null;
  }

  /** A line's role names the character by full or first name. */
  static boolean isCharacter(String role, String name) {
    String r = role.strip();
    return r.equalsIgnoreCase(name) || r.equalsIgnoreCase(name.split(" ")[0]);
  }

  static Vars sceneContext(Scene sc) {
    return Vars.of(sc)
        .with("partnerAbout", sc.partner() == null ? NOBODY : sc.partner().about())
        .with("minLines", MIN_LINES)
        .with("maxLines", MAX_LINES);
  }
}
