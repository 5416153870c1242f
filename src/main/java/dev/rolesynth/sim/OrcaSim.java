package dev.rolesynth.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Simulated answers for the Orca stages whose checks a schema filler would fail: posts in a persona's
 * voice, a second-person summary, a profile that quotes no post, an interpretation naming every trait.
 */
final class OrcaSim {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern WRITER = Pattern.compile("posts that (.+?) would write");
  private static final Pattern SUMS = Pattern.compile("(Openness|Conscientiousness|Extraversion|Agreeableness|Neuroticism) ([0-9.]+)");
  private static final List<String> TOPICS = List.of("the morning commute", "a book I finished last night",
      "the new bakery on the corner", "training for the autumn race", "my grandmother's garden", "a meeting that ran long",
      "the rain finally stopping", "an old photograph I found", "learning to cook rice properly", "a concert last weekend",
      "the price of train tickets", "a neighbour's noisy dog");
  private static final List<String> JOBS = List.of("nurse", "teacher", "software developer", "carpenter", "librarian",
      "bus driver", "accountant", "chef", "graduate student", "shop owner");
  private static final List<String> CITIES = List.of("Leeds", "Porto", "Lyon", "Osaka", "Denver", "Cork", "Graz", "Tartu");

  private OrcaSim() {}

  static Map<String, SimulatedLlm.StageSim> stages() {
    Map<String, SimulatedLlm.StageSim> m = new LinkedHashMap<>();
    m.put("orca_posts", OrcaSim::posts);
    m.put("orca_summary", OrcaSim::summary);
    m.put("orca_profile", OrcaSim::profile);
    m.put("orca_interpret", OrcaSim::interpret);
    m.put("orca_activity", OrcaSim::activity);
    return m;
  }

  private static JsonNode posts(SimulatedLlm.SimCall call) {
    Matcher m = WRITER.matcher(call.user());
    String who = m.find() ? m.group(1) : "I";
    int n = call.request().schema().at("/properties/posts/minItems").asInt(5);
    ArrayNode posts = NODES.arrayNode();
    for (int i = 0; i < n; i++) {
      String topic = TOPICS.get(call.random().nextInt(TOPICS.size()));
      ObjectNode p = posts.addObject();
      p.put("text", "Thinking about " + topic + " again today. Honestly it says more about me than I would like to admit. #" + (i + 1));
      boolean reply = call.random().nextInt(5) == 0;
      p.put("replyTo", reply ? "Has anyone else noticed " + topic + " lately?" : "");
      p.put("replyToUser", reply ? "friend_of_" + who.replaceAll("\\W+", "_").toLowerCase() : "");
    }
    ObjectNode out = NODES.objectNode();
    out.set("posts", posts);
    return out;
  }

  private static JsonNode summary(SimulatedLlm.SimCall call) {
    StringBuilder s = new StringBuilder("You are someone whose posts show a steady mix of curiosity and routine.");
    Matcher m = SUMS.matcher(call.user());
    while (m.find()) {
      double v = Double.parseDouble(m.group(2));
      s.append(" In ").append(m.group(1).toLowerCase()).append(v >= 3 ? " you show a lot" : " you show little").append(".");
    }
    return NODES.objectNode().put("summary", s.toString());
  }

  private static JsonNode profile(SimulatedLlm.SimCall call) {
    String first = List.of("Sam", "Ana", "Ivo", "Lena", "Omar", "Ruth", "Kai", "Noor").get(call.random().nextInt(8));
    int age = 20 + call.random().nextInt(45);
    return NODES.objectNode().put("name", first + " Rowe").put("age", Integer.toString(age))
        .put("gender", call.random().nextBoolean() ? "female" : "male")
        .put("occupation", JOBS.get(call.random().nextInt(JOBS.size())))
        .put("education", call.random().nextBoolean() ? "university degree" : "secondary school")
        .put("location", CITIES.get(call.random().nextInt(CITIES.size())))
        .put("email", first.toLowerCase() + ".rowe" + age + "@example.org")
        .put("hobbies", "walking, cooking")
        .put("background", "Grew up in a small town and moved to the city for work.");
  }

  /** First-person activity naming the post's own words; the flags drawn at random. */
  private static JsonNode activity(SimulatedLlm.SimCall call) {
    int start = call.user().indexOf("\"\"\"\n");
    String post = start < 0 ? call.user() : call.user().substring(start + 4);
    String words = String.join(", ", PromptText.words(post).stream().limit(3).toList());
    return NODES.objectNode().put("rmr", call.random().nextInt(3) == 0).put("ept", call.random().nextInt(3) == 0)
        .put("bpa", "I kept thinking about " + (words.isEmpty() ? "my day" : words)
            + " and wanted to get it off my chest before I lost the feeling.");
  }

  private static JsonNode interpret(SimulatedLlm.SimCall call) {
    StringBuilder s = new StringBuilder();
    Matcher m = SUMS.matcher(call.user());
    while (m.find()) {
      double v = Double.parseDouble(m.group(2));
      String level = v >= 4 ? "High" : v >= 2 ? "Medium" : "Low";
      s.append(m.group(1)).append(": ").append(level).append(" (").append(m.group(2)).append(") - shows in how they post.\n");
    }
    return NODES.objectNode().put("interpretation", s.toString().strip());
  }
}
