package dev.rolesynth.simschat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.google.auto.service.AutoService;
import dev.rolesynth.core.Ids;
import dev.rolesynth.llm.Answers;
import dev.rolesynth.sim.SimData;
import dev.rolesynth.sim.SimNames;
import dev.rolesynth.sim.StageSimulations;
import dev.rolesynth.simschat.SimsChat.Line;
import dev.rolesynth.simschat.SimsChat.Personal;
import dev.rolesynth.simschat.SimsChat.Social;
import dev.rolesynth.simschat.Stages.Aspects;
import dev.rolesynth.simschat.Stages.Lines;
import dev.rolesynth.simschat.Stages.SceneIdea;
import dev.rolesynth.simschat.Stages.Scenes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How the built-in simulator answers SimsChat's stages, from each stage's input: a name per set of
 * elements, a second-person profile that names the character and its elements, as many scenes as
 * the schema asks for, and dialogues in which the character speaks and thinks about the scene's
 * topic.
 */
@AutoService(StageSimulations.class)
public final class SimsChatSim implements StageSimulations {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final SimData WORDS = SimData.of(SimsChatSettings.PIPELINE);
  private static final List<String> FIRST = WORDS.get("first");
  private static final List<String> LAST = WORDS.get("last");
  private static final List<String> PLACES = WORDS.get("places");
  private static final List<String> TYPES = WORDS.get("types");
  private static final List<String> OTHERS = WORDS.get("others");

  @Override
  public String pipeline() {
    return SimsChatSettings.PIPELINE;
  }

  @Override
  public Map<String, Answer> answers() {
    return Map.of(
        "sims_aspects",
        SimsChatSim::aspects,
        "sims_scenes",
        SimsChatSim::scenes,
        "sims_dialogue",
        SimsChatSim::dialogue);
  }

  private static JsonNode aspects(Input in) {
    long h = Ids.seed(0, in.get("career"), in.get("aspiration"), in.get("traits"), in.get("skill"));
    return Answers.json(
        new Aspects(
            SimNames.pick(in, h, FIRST, LAST),
            25 + (int) (h % 40),
            new Personal(
                h % 2 == 0 ? "Female" : "Male",
                "A warm, unhurried voice with a dry joke now and then",
                "The traits " + in.get("traits") + " show in small things",
                "Being " + in.get("traits") + " makes for loyal friends and the odd argument",
                in.get("skill") + ", practised every evening"),
            new Social(
                "Calls family every Sunday",
                "Colleagues in " + in.get("career") + " ask for advice",
                "A small flat full of things about " + in.get("aspiration"))));
  }

  /** As many scenes as the request's schema asks for, the types in turn. */
  private static JsonNode scenes(Input in) {
    int n = Math.max(1, in.schema().at("/properties/scenes/minItems").asInt(1));
    List<SceneIdea> scenes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      scenes.add(
          new SceneIdea(
              TYPES.get(i % TYPES.size()),
              PLACES.get(i % PLACES.size()),
              partner(in.get("plan"), i + 1, OTHERS.get(i % OTHERS.size()))
                  + " has just arrived with news. Everyone is listening.",
              "plans for the weekend"));
    }
    return Answers.json(new Scenes(scenes));
  }

  private static JsonNode dialogue(Input in) {
    String name = in.get("name").isBlank() ? "Sim" : in.get("name");
    String about = in.get("partnerAbout");
    String other =
        about.contains(", ")
            ? about.substring(0, about.indexOf(", "))
            : OTHERS.get(in.random().nextInt(OTHERS.size()));
    String speaking = SimsChat.SPEAKING;
    List<Line> lines =
        List.of(
            new Line(
                name,
                speaking,
                "So, " + other + ", I wanted to talk about " + in.get("topic") + "."),
            new Line(other, speaking, "Go on, I am listening."),
            new Line(
                name,
                SimsChat.THINKING,
                "I feel so " + in.get("emotion").toLowerCase(Locale.ROOT) + " about this."),
            new Line(name, speaking, "Honestly, it matters more to me than I let on."),
            new Line(other, speaking, "I can tell. Tell me more."),
            new Line(name, speaking, "Let's make it happen together."));
    String setting =
        in.get("location")
            + ": "
            + name
            + " and "
            + other
            + " sit together. "
            + in.get("background");
    return Answers.json(new Lines(setting, lines));
  }

  /** The other character of scene {@code i} in the scenes prompt's plan, or {@code otherwise}. */
  private static String partner(String plan, int i, String otherwise) {
    for (String line : plan.split("\n")) {
      int with = line.indexOf("; with ");
      if (line.startsWith(i + ". ") && with > 0) {
        String rest = line.substring(with + "; with ".length());
        return rest.substring(0, Math.max(0, rest.indexOf(',')));
      }
    }
    return otherwise;
  }
}
