package dev.rolesynth.characterchat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.auto.service.AutoService;
import dev.rolesynth.core.Ids;
import dev.rolesynth.llm.ChatMessage;
import dev.rolesynth.sim.SimData;
import dev.rolesynth.sim.StageSimulations;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * How the built-in simulator answers CharacterChat's stages, from each stage's input: a person per
 * MBTI type and number with short, long and name-bearing fields, expanded from the chat's earlier
 * answer, second-person statements and rewrites, tone examples in the authors' form, an aspect
 * among the speaker's own, short utterances, and a seeker whose sentiment rises as the chat goes
 * on, so that the stop rule closes most dialogues. Randomness comes from the call's seed.
 */
@AutoService(StageSimulations.class)
public final class CharacterChatSim implements StageSimulations {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final SimData WORDS = SimData.of(CharacterChat.PIPELINE);
  private static final List<String> NAMES = WORDS.get("names");
  private static final List<String> WORRIES = WORDS.get("worries");

  @Override
  public String pipeline() {
    return CharacterChat.PIPELINE;
  }

  @Override
  public Map<String, Answer> answers() {
    return Map.ofEntries(
        Map.entry("cc_profile", CharacterChatSim::profile),
        Map.entry("cc_expand", CharacterChatSim::expand),
        Map.entry("cc_seeker_statement", in -> statement(in, "you want someone to listen")),
        Map.entry("cc_supporter_statement", in -> statement(in, "friends come to you for comfort")),
        Map.entry(
            "cc_info_rewrite", in -> text("You " + in.get("info").replaceFirst("^They ", ""))),
        Map.entry("cc_select", CharacterChatSim::select),
        Map.entry("cc_reply", CharacterChatSim::reply),
        Map.entry("cc_sentiment", CharacterChatSim::sentiment));
  }

  /**
   * A person of the type: short fields, long ones (20 words or more) and a short one naming the
   * person, so that the rewrite rule has each kind to tell apart.
   */
  private static JsonNode profile(Input in) {
    long h = Ids.seed(0, in.get("mbti"), in.get("index"));
    String name = NAMES.get((int) (h % NAMES.size()));
    String worry = WORRIES.get((int) (h % WORRIES.size()));
    ObjectNode o = NODES.objectNode();
    for (String f : CharacterChat.FIELDS) {
      o.put(
          f,
          switch (f) {
            case "name" -> name;
            case "gender" -> h % 2 == 0 ? "female" : "male";
            case "age" -> Integer.toString(18 + (int) (h % 20));
            case "hobby" -> "birdwatching on weekends";
            case "personality" ->
                name.split(" ")[0] + " is " + in.get("mbti") + " through and through";
            case CharacterChat.WORRY -> worry;
            default -> "a " + f.replace('_', ' ') + " that fits an " + in.get("mbti") + " person";
          });
    }
    return o;
  }

  /** The profile of the chat's earlier answer, its longer fields told at length. */
  private static JsonNode expand(Input in) {
    String earlier =
        in.messages().stream()
            .filter(m -> m.role().equals("assistant"))
            .map(ChatMessage::content)
            .findFirst()
            .orElse("{}");
    ObjectNode o = (ObjectNode) read(earlier);
    for (String f : CharacterChat.FIELDS) {
      String v = o.path(f).asText(f);
      boolean keep = List.of("name", "gender", "age", "region", "job", "hobby").contains(f);
      o.put(
          f,
          keep
              ? v
              : v
                  + ". In more detail: it has shaped the last few years in many small ways, from"
                  + " how the mornings start to whom they call first when something goes wrong.");
    }
    return o;
  }

  private static JsonNode statement(Input in, String why) {
    String name = read(in.get("fields")).path("name").asText("someone");
    return NODES.objectNode().put("statement", "You are " + name + ", and " + why + ".");
  }

  private static JsonNode read(String json) {
    try {
      JsonNode n = new ObjectMapper().readTree(json);
      return n.isObject() ? n : NODES.objectNode();
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode text(String text) {
    return NODES.objectNode().put("text", text);
  }

  /** One of the aspects the request's schema offers ("NONE" among them). */
  private static JsonNode select(Input in) {
    JsonNode options = in.schema().at("/properties/aspect/enum");
    SplittableRandom random = in.random();
    String aspect =
        options.isArray() && options.size() > 0
            ? options.get(random.nextInt(options.size())).asText()
            : "hobby";
    return NODES.objectNode().put("aspect", aspect);
  }

  private static JsonNode reply(Input in) {
    String other = in.get("other").isBlank() ? "you" : in.get("other").split(" ")[0];
    // a section's variable is not read back from a served prompt: "week" there
    String aspect = in.get("aspect").isBlank() ? "week" : in.get("aspect").replace('_', ' ');
    String line;
    boolean seeker = in.get("seeker").equals("true");
    if (in.get("closing").equals("true")) {
      line =
          seeker
              ? "I feel so much lighter now, and I should get some sleep before work. Talk to you"
                  + " again soon 🙂"
              : "I'm really glad you feel better now, and I have to run to my evening class. Let's"
                  + " talk again soon 💛";
    } else if (seeker) {
      // the seeker feels better as the chat goes on: the stop rule closes most chats near 13
      line =
          utterances(in) >= 8
              ? "Talking about my "
                  + aspect
                  + " makes it feel lighter, I think I can handle it now."
              : "Honestly, " + other + ", it's about my " + aspect + ". It's been weighing on me.";
    } else {
      line =
          "That makes sense to me, "
              + other
              + " and when I think about my "
              + aspect
              + " it helped to take it one day at a time 🙂";
    }
    return NODES.objectNode().put("utterance", line);
  }

  /**
   * High for a sentence that sounds lighter (the simulated seeker's later lines), low otherwise.
   */
  private static JsonNode sentiment(Input in) {
    boolean lighter = in.get("sentence").contains("lighter");
    int score = (lighter ? 4 : 1) + in.random().nextInt(2);
    return NODES
        .objectNode()
        .put("score", score)
        .put("reason", lighter ? "They sound hopeful." : "They sound weighed down.");
  }

  private static int utterances(Input in) {
    return in.get("utterances").isBlank() ? 0 : Integer.parseInt(in.get("utterances").strip());
  }
}
