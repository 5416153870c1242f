package dev.rolesynth.simschat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.auto.service.AutoService;
import dev.rolesynth.core.Ids;
import dev.rolesynth.llm.Answers;
import dev.rolesynth.sim.SimData;
import dev.rolesynth.sim.SimNames;
import dev.rolesynth.sim.StageSimulations;
import dev.rolesynth.simschat.SimsChat.SceneIdea;
import dev.rolesynth.simschat.Stages.Scenes;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * How the built-in simulator answers SimsChat's stages, from each stage's input: a name per set of
 * elements, a second-person profile that names the character and its elements, as many scenes as
 * the schema asks for, and dialogues in which the character speaks and thinks about the scene's
 * topic.
 */
@AutoService(StageSimulations.class)
public final class SimsChatSim implements StageSimulations {
  private static final SimData WORDS = SimData.of(SimsChat.PIPELINE);
  private static final List<String> FIRST = WORDS.get("first");
  private static final List<String> LAST = WORDS.get("last");
  private static final List<String> PLACES = WORDS.get("places");
  private static final List<String> TYPES = WORDS.get("types");
  private static final List<String> OTHERS = WORDS.get("others");

  @Override
  public String pipeline() {
    return SimsChat.PIPELINE;
  }

  @Override
  public Map<String, Answer> answers() {
    return Map.of("sims_scenes", SimsChatSim::scenes);
  }

  /** The choices behind the answers declared in simulated.yaml. */
  @Override
  public Map<String, Answer.Vars> vars() {
    return Map.of("sims_aspects", SimsChatSim::aspects, "sims_dialogue", SimsChatSim::dialogue);
  }

  private static Map<String, ?> aspects(Input in) {
    long h = Ids.seed(0, in.get("career"), in.get("aspiration"), in.get("traits"), in.get("skill"));
    String name = SimNames.pick(in, h, FIRST, LAST);
    String gender = h % 2 == 0 ? "Female" : "Male";
    return Map.of("simName", name, "simAge", 25 + (int) (h % 40), "simGender", gender);
  }

  /** As many scenes as the request's schema asks for, the types in turn. */
  private static JsonNode scenes(Input in) {
    int n = Math.max(1, in.schema().at("/properties/scenes/minItems").asInt(1));
    List<SceneIdea> scenes =
        IntStream.range(0, n)
            .mapToObj(
                i ->
                    new SceneIdea(
                        TYPES.get(i % TYPES.size()),
                        PLACES.get(i % PLACES.size()),
                        partner(in.get("plan"), i + 1, OTHERS.get(i % OTHERS.size()))
                            + " has just arrived with news. Everyone is listening.",
                        "plans for the weekend"))
            .toList();
    return Answers.json(new Scenes(scenes));
  }

  private static Map<String, ?> dialogue(Input in) {
    String about = in.get("partnerAbout");
    String other =
        about.contains(", ")
            ? about.substring(0, about.indexOf(", "))
            : OTHERS.get(in.random().nextInt(OTHERS.size()));
    String self = in.get("name").isBlank() ? "Sim" : in.get("name");
    String feeling = in.get("emotion").toLowerCase(Locale.ROOT);
    return Map.of("simSelf", self, "simOther", other, "simFeeling", feeling);
  }

  /** The other character of scene {@code i} in the scenes prompt's plan, or {@code otherwise}. */
  private static String partner(String plan, int i, String otherwise) {
    Matcher m = Pattern.compile("(?m)^" + i + "\\. .*?; with ([^,\\n]*),").matcher(plan);
    return m.find() ? m.group(1) : otherwise;
  }
}
