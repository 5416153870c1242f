package dev.rolesynth.simschat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.auto.service.AutoService;
import dev.rolesynth.core.Ids;
import dev.rolesynth.sim.StageSimulations;
import java.util.List;
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
  private static final List<String> NAMES =
      List.of(
          "Bella Goth",
          "Don Lothario",
          "Nina Caliente",
          "Mortimer Vance",
          "Cassandra Reyes",
          "Dustin Bloom",
          "Lilith Park",
          "Geoffrey Landgraab");
  private static final List<String> TYPES = List.of("Chat", "Speech", "Debate", "Discussion");
  private static final List<String> OTHERS = List.of("Mara", "Theo", "Ines", "Kofi");

  @Override
  public String pipeline() {
    return SimsChatSettings.PIPELINE;
  }

  @Override
  public Map<String, Answer> answers() {
    return Map.of(
        "sims_aspects",
        SimsChatSim::aspects,
        "sims_profile",
        SimsChatSim::profile,
        "sims_scenes",
        SimsChatSim::scenes,
        "sims_dialogue",
        SimsChatSim::dialogue);
  }

  private static JsonNode aspects(Input in) {
    long h = Ids.seed(0, in.get("career"), in.get("aspiration"), in.get("traits"), in.get("skill"));
    ObjectNode o =
        NODES
            .objectNode()
            .put("name", NAMES.get((int) (h % NAMES.size())))
            .put("age", 25 + (int) (h % 40));
    o.putArray("personal")
        .add("Practises " + in.get("skill") + " every evening")
        .add("Lets the traits " + in.get("traits") + " show in small things")
        .add("Keeps a tidy calendar");
    o.putArray("social")
        .add("Colleagues in " + in.get("career") + " ask for advice")
        .add("Dreams aloud of " + in.get("aspiration") + " with friends")
        .add("Calls family every Sunday");
    return o;
  }

  private static JsonNode profile(Input in) {
    String name = in.get("name");
    return NODES
        .objectNode()
        .put(
            "profile",
            "You are "
                + name
                + ", "
                + in.get("age")
                + ", working in "
                + in.get("career")
                + " and aspiring to "
                + in.get("aspiration")
                + ". You are "
                + in.get("traits")
                + ", and your best skill is "
                + in.get("skill")
                + ". "
                + in.get("personal")
                + ". "
                + in.get("social")
                + ".");
  }

  /** As many scenes as the request's schema asks for, the types in turn. */
  private static JsonNode scenes(Input in) {
    int n = Math.max(1, in.schema().at("/properties/scenes/minItems").asInt(1));
    ArrayNode scenes = NODES.arrayNode();
    for (int i = 0; i < n; i++) {
      scenes
          .addObject()
          .put("type", TYPES.get(i % TYPES.size()))
          .put("location", "the community lot, scene " + (i + 1))
          .put(
              "background",
              OTHERS.get(i % OTHERS.size()) + " has just arrived with news. Everyone is listening.")
          .put("topic", "plans for the weekend, part " + (i + 1));
    }
    ObjectNode o = NODES.objectNode();
    o.set("scenes", scenes);
    return o;
  }

  private static JsonNode dialogue(Input in) {
    String name = in.get("name").isBlank() ? "Sim" : in.get("name");
    String other = OTHERS.get(in.random().nextInt(OTHERS.size()));
    String emotion = in.get("emotion");
    ArrayNode lines = NODES.arrayNode();
    lines
        .addObject()
        .put("role", other)
        .put("action", "(speaking)")
        .put("content", "So, what do you think about " + in.get("topic") + "?");
    lines
        .addObject()
        .put("role", name)
        .put("action", "(thinking)")
        .put("content", "I feel so " + emotion + " about this.");
    lines
        .addObject()
        .put("role", name)
        .put("action", "(speaking)")
        .put("content", "Honestly, it matters more to me than I let on.");
    lines
        .addObject()
        .put("role", other)
        .put("action", "(speaking)")
        .put("content", "I can tell. Tell me more.");
    lines
        .addObject()
        .put("role", name)
        .put("action", "(speaking)")
        .put("content", "Let's make it happen together.");
    ObjectNode o =
        NODES
            .objectNode()
            .put("setting", "At " + in.get("location") + ", " + name + " and " + other + " talk.");
    o.set("dialogue", lines);
    return o;
  }
}
