package dev.rolesynth.beyond;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.auto.service.AutoService;
import dev.rolesynth.sim.PromptText;
import dev.rolesynth.sim.SimData;
import dev.rolesynth.sim.StageSimulations;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Simulated answers for the Beyond Dialogue stages whose answers must hang together beyond their
 * schema: fresh partner names, short non-repeating turns, dialogue rows from the passage, mostly
 * coherent and conflict-free checks, MBTI letters. The other stages use the schema filler.
 */
@AutoService(StageSimulations.class)
public final class BeyondDialogueSim implements StageSimulations {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final SimData WORDS = SimData.of(BeyondDialogueSettings.PIPELINE);
  private static final List<String> PARTNERS = WORDS.get("partners");
  private static final List<String> TRADES = WORDS.get("trades");
  private static final List<String> TOPICS = WORDS.get("topics");
  private static final Pattern MAIN = Pattern.compile("Main character: ([^\\n(.]+)");
  private static final Pattern PASSAGE = Pattern.compile("\"\"\"\\n(.*?)\\n\"\"\"", Pattern.DOTALL);
  private static final Pattern QUOTE = Pattern.compile("[\"“「]([^\"”」]{2,300})[\"”」]");
  private static final Pattern NAME = Pattern.compile("\\b([A-Z][a-z]{2,})\\b");
  private static final Pattern YOU_ARE =
      Pattern.compile("(?:You are|as if you are) ([^.,\\n]+?)[.,]");
  private static final Set<String> NOT_NAMES =
      Set.of(
          "The", "And", "But", "She", "Her", "His", "They", "Then", "When", "What", "There", "That",
          "This", "With", "Chapter", "Yes", "Not", "For", "You", "Your", "Well", "Now", "How",
          "Why");

  @Override
  public String pipeline() {
    return BeyondDialogueSettings.PIPELINE;
  }

  @Override
  public Map<String, Answer> answers() {
    Map<String, Answer> m = new LinkedHashMap<>();
    m.put("bd_partner", BeyondDialogueSim::partner);
    m.put("bd_scene", BeyondDialogueSim::scene);
    m.put("bd_partner_turn", call -> turn(call, true));
    m.put("bd_role_turn", call -> turn(call, false));
    m.put("bd_extract", BeyondDialogueSim::extract);
    m.put("bd_subscene", call -> check(call, "coherence", 0.85));
    m.put("bd_conflict", call -> check(call, "conflict", 0.1));
    m.put("bd_align_personality", BeyondDialogueSim::personality);
    return m;
  }

  private static JsonNode partner(Input call) {
    SplittableRandom random = call.random();
    List<String> free = new ArrayList<>();
    for (String n : PARTNERS) {
      if (!call.firstUser().contains(n)) {
        free.add(n);
      }
    }
    String name =
        free.isEmpty() ? "Guest" + random.nextInt(1000) : free.get(random.nextInt(free.size()));
    String trade = TRADES.get(random.nextInt(TRADES.size()));
    return NODES
        .objectNode()
        .put("chat_role", name)
        .put(
            "role_des",
            name
                + " is a "
                + trade
                + " who has come a long way with news and a question of their own.");
  }

  /**
   * A scene built from the prompt's first sentence (who and where) and the partner's description.
   */
  private static JsonNode scene(Input call) {
    List<String> sentences = PromptText.sentences(call.firstUser());
    String who = sentences.isEmpty() ? "Two people meet." : sentences.get(0);
    String partner = sentences.size() > 2 ? sentences.get(2) : "";
    String text =
        who
            + " "
            + partner
            + " They meet at the end of a long day, each with something to ask the other.";
    return NODES.objectNode().put("scene", PromptText.clip(text, 1500));
  }

  /** A short line on a topic not raised yet; the role's lines answer the last thing said. */
  private static JsonNode turn(Input call, boolean partner) {
    SplittableRandom random = call.random();
    String last = "";
    for (var m : call.messages()) {
      if (m.role().equals("user")) {
        last = m.content();
      }
    }
    // A topic nobody has raised yet in this conversation, as the prompt asks.
    StringBuilder said = new StringBuilder();
    call.messages().forEach(m -> said.append(m.content()).append('\n'));
    List<String> fresh = TOPICS.stream().filter(t -> !said.toString().contains(t)).toList();
    List<String> pool = fresh.isEmpty() ? TOPICS : fresh;
    String topic = pool.get(random.nextInt(pool.size()));
    String line;
    if (partner) {
      line = "Tell me honestly, what do you make of " + topic + "?";
    } else {
      Matcher m = YOU_ARE.matcher(call.system());
      String self = m.find() ? m.group(1).strip() : "I";
      String echo =
          PromptText.words(last.replaceFirst("^\\([^)]*\\)\\s*", "")).stream()
              .limit(3)
              .reduce((a, b) -> a + ", " + b)
              .orElse("that");
      line =
          "You ask about "
              + echo
              + "? "
              + self
              + " has seen stranger things, and "
              + topic
              + " troubles me more.";
    }
    ObjectNode out = NODES.objectNode().put("line", line);
    out.put("action", random.nextInt(3) == 0 ? "pauses" : "");
    return out;
  }

  /**
   * Quoted speech from the passage, alternating between the main character and the other name found
   * in it.
   */
  private static JsonNode extract(Input call) {
    Matcher mm = MAIN.matcher(call.firstUser());
    String main = mm.find() ? mm.group(1).strip() : "Someone";
    Matcher pm = PASSAGE.matcher(call.firstUser());
    String passage = pm.find() ? pm.group(1) : call.firstUser();
    String other = null;
    // Names from the body, not from a chapter heading.
    Matcher nm =
        NAME.matcher(passage.contains("\n") ? passage.substring(passage.indexOf('\n')) : passage);
    while (nm.find() && other == null) {
      String n = nm.group(1);
      if (!main.contains(n) && !NOT_NAMES.contains(n)) {
        other = n;
      }
    }
    other = other == null ? "Stranger" : other;
    List<String> speech = new ArrayList<>();
    Matcher qm = QUOTE.matcher(passage);
    while (qm.find() && speech.size() < 10) {
      speech.add(qm.group(1).strip());
    }
    if (speech.size() < 2) {
      speech =
          PromptText.sentences(passage)
              .subList(0, Math.min(6, PromptText.sentences(passage).size()));
    }
    ArrayNode rows = NODES.arrayNode();
    for (int i = 0; i < Math.max(2, speech.size()); i++) {
      String text = i < speech.size() ? speech.get(i) : "Indeed.";
      rows.addObject()
          .put("speaker", i % 2 == 0 ? other : main)
          .put("line", PromptText.clip(text, 2000))
          .put("action", "");
    }
    ObjectNode out = NODES.objectNode();
    out.set("rows", rows);
    return out;
  }

  private static JsonNode check(Input call, String field, double chanceOfOne) {
    SplittableRandom random = call.random();
    ObjectNode out = (ObjectNode) call.fill(random);
    out.put(field, random.nextDouble() < chanceOfOne ? 1 : 0);
    return out;
  }

  private static JsonNode personality(Input call) {
    SplittableRandom random = call.random();
    String[] pairs = {"EI", "SN", "TF", "JP"};
    StringBuilder t = new StringBuilder();
    for (String p : pairs) {
      t.append(p.charAt(random.nextInt(2)));
    }
    ObjectNode out = (ObjectNode) call.fill(random);
    out.put("personality", t.toString());
    return out;
  }
}
