package dev.rolesynth.orca;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.auto.service.AutoService;
import dev.rolesynth.retrieval.Words;
import dev.rolesynth.sim.SimData;
import dev.rolesynth.sim.StageSimulations;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * How the built-in simulator answers Orca's stages whose checks a schema filler would fail, from
 * each stage's input: posts in a persona's voice, a second-person summary, a profile that quotes no
 * post, an interpretation naming every trait. Randomness comes from the call's seed, not the
 * prompt.
 */
@AutoService(StageSimulations.class)
public final class OrcaSim implements StageSimulations {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final SimData WORDS = SimData.of(OrcaSettings.PIPELINE);
  private static final List<String> TOPICS = WORDS.get("topics");
  private static final List<String> JOBS = WORDS.get("jobs");
  private static final List<String> CITIES = WORDS.get("cities");

  @Override
  public String pipeline() {
    return OrcaSettings.PIPELINE;
  }

  @Override
  public Map<String, Answer> answers() {
    return Map.of(
        "orca_posts",
        OrcaSim::posts,
        "orca_summary",
        OrcaSim::summary,
        "orca_profile",
        OrcaSim::profile,
        "orca_interpret",
        OrcaSim::interpret,
        "orca_activity",
        OrcaSim::activity);
  }

  private static JsonNode posts(Input in) {
    String who = in.get("name").isBlank() ? "I" : in.get("name");
    int n = in.schema().at("/properties/posts/minItems").asInt(5);
    SplittableRandom random = in.random();
    ArrayNode posts = NODES.arrayNode();
    for (int i = 0; i < n; i++) {
      String topic = TOPICS.get(random.nextInt(TOPICS.size()));
      ObjectNode p = posts.addObject();
      p.put(
          "text",
          "Thinking about "
              + topic
              + " again today. Honestly it says more about me than I would like to admit. #"
              + (i + 1));
      boolean reply = random.nextInt(5) == 0;
      p.put("replyTo", reply ? "Has anyone else noticed " + topic + " lately?" : "");
      p.put("replyToUser", reply ? "friend_of_" + who.replaceAll("\\W+", "_").toLowerCase() : "");
    }
    ObjectNode out = NODES.objectNode();
    out.set("posts", posts);
    return out;
  }

  /** The trait sums the stage rendered (in process), else every trait unscored. */
  private static Map<String, Double> traits(Input in) {
    Map<String, Double> out = new LinkedHashMap<>();
    if (in.values().get("traits") instanceof List<?> list) {
      for (Object o : list) {
        if (o instanceof Map<?, ?> m && m.get("score") instanceof Number score) {
          out.put(String.valueOf(m.get("trait")), score.doubleValue());
        }
      }
    }
    if (out.isEmpty()) {
      BigFive.TRAITS.forEach(t -> out.put(t, Double.NaN));
    }
    return out;
  }

  private static JsonNode summary(Input in) {
    StringBuilder s =
        new StringBuilder(
            "You are someone whose posts show a steady mix of curiosity and routine.");
    traits(in)
        .forEach(
            (trait, v) -> {
              if (!v.isNaN()) {
                s.append(" In ")
                    .append(trait.toLowerCase())
                    .append(v >= 3 ? " you show a lot" : " you show little")
                    .append(".");
              }
            });
    return NODES.objectNode().put("summary", s.toString());
  }

  private static JsonNode profile(Input in) {
    SplittableRandom random = in.random();
    String first =
        List.of("Sam", "Ana", "Ivo", "Lena", "Omar", "Ruth", "Kai", "Noor").get(random.nextInt(8));
    int age = 20 + random.nextInt(45);
    return NODES
        .objectNode()
        .put("name", first + " Rowe")
        .put("age", Integer.toString(age))
        .put("gender", random.nextBoolean() ? "female" : "male")
        .put("occupation", JOBS.get(random.nextInt(JOBS.size())))
        .put("education", random.nextBoolean() ? "university degree" : "secondary school")
        .put("location", CITIES.get(random.nextInt(CITIES.size())))
        .put("email", first.toLowerCase() + ".rowe" + age + "@example.org")
        .put("hobbies", "walking, cooking")
        .put("background", "Grew up in a small town and moved to the city for work.");
  }

  /** First-person activity naming the post's own words; the flags drawn at random. */
  private static JsonNode activity(Input in) {
    SplittableRandom random = in.random();
    String words =
        String.join(
            ", ", Words.of(in.get("post")).stream().filter(w -> w.length() > 3).limit(3).toList());
    return NODES
        .objectNode()
        .put("rmr", random.nextInt(3) == 0)
        .put("ept", random.nextInt(3) == 0)
        .put(
            "bpa",
            "I kept thinking about "
                + (words.isEmpty() ? "my day" : words)
                + " and wanted to get it off my chest before I lost the feeling.");
  }

  private static JsonNode interpret(Input in) {
    StringBuilder s = new StringBuilder();
    traits(in)
        .forEach(
            (trait, v) -> {
              String level = v.isNaN() ? "Medium" : v >= 4 ? "High" : v >= 2 ? "Medium" : "Low";
              s.append(trait)
                  .append(": ")
                  .append(level)
                  .append(v.isNaN() ? "" : " (" + v + ")")
                  .append(" - shows in how they post.\n");
            });
    return NODES.objectNode().put("interpretation", s.toString().strip());
  }
}
