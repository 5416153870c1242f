package dev.rolesynth.characterchat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.auto.service.AutoService;
import dev.rolesynth.core.Ids;
import dev.rolesynth.sim.StageSimulations;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * How the built-in simulator answers CharacterChat's stages, from each stage's input: a person per
 * MBTI type and number, kept by name through the expansion, second-person statements, an aspect
 * among the speaker's own, short utterances, and a seeker whose sentiment rises as the chat goes
 * on, so that the stop rule closes most dialogues. Randomness comes from the call's seed.
 */
@AutoService(StageSimulations.class)
public final class CharacterChatSim implements StageSimulations {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final List<String> NAMES =
      List.of(
          "Mira Okonkwo",
          "Jonas Lindgren",
          "Priya Raman",
          "Tomasz Nowak",
          "Leila Haddad",
          "Ken Watanabe",
          "Sofia Marquez",
          "Daniel Osei",
          "Hanna Berg",
          "Rafael Costa",
          "Aiko Tanaka",
          "Samir Khalil",
          "Greta Vogel",
          "Lucas Moreau",
          "Nadia Ilic",
          "Owen Price");
  private static final List<String> WORRIES =
      List.of(
          "a job interview next week",
          "a falling-out with a close friend",
          "rent going up again",
          "a parent's health",
          "feeling stuck at work",
          "moving to a new city alone");

  @Override
  public String pipeline() {
    return CharacterChatSettings.PIPELINE;
  }

  @Override
  public Map<String, Answer> answers() {
    return Map.of(
        "cc_profile",
        CharacterChatSim::profile,
        "cc_expand",
        CharacterChatSim::expand,
        "cc_transform",
        CharacterChatSim::transform,
        "cc_tone",
        CharacterChatSim::tone,
        "cc_select",
        CharacterChatSim::select,
        "cc_reply",
        CharacterChatSim::reply,
        "cc_sentiment",
        CharacterChatSim::sentiment);
  }

  private static JsonNode profile(Input in) {
    long h = Ids.seed(0, in.get("mbti"), in.get("index"));
    String worry = WORRIES.get((int) (h % WORRIES.size()));
    return fields(NAMES.get((int) (h % NAMES.size())), in.get("mbti"), worry, "");
  }

  private static JsonNode expand(Input in) {
    return fields(
        in.get("name").isBlank() ? "Alex Doe" : in.get("name"),
        in.get("mbti"),
        "something that keeps them up at night",
        " In more detail: it has been on their mind for weeks.");
  }

  private static ObjectNode fields(String name, String mbti, String worry, String more) {
    ObjectNode o = NODES.objectNode();
    for (String f : CharacterChat.FIELDS) {
      o.put(
          f,
          switch (f) {
            case "name" -> name;
            case "recent_worry" -> worry + "." + more;
            case "tone" -> "warm, a little dry, uses short sentences." + more;
            default -> "A " + mbti + " person's " + f.replace('_', ' ') + "." + more;
          });
    }
    return o;
  }

  private static JsonNode transform(Input in) {
    String name = in.get("name");
    ObjectNode o =
        NODES
            .objectNode()
            .put(
                "seeker",
                "You are "
                    + name
                    + ". Lately you have been worried and you want to talk to someone who listens.")
            .put(
                "supporter",
                "You are "
                    + name
                    + ". Friends come to you because you listen well and have been through a lot.")
            .put(
                "additional_information",
                "You keep a small notebook of things that made you laugh.");
    ObjectNode f = o.putObject("fields");
    CharacterChat.FIELDS.forEach(
        k ->
            f.put(k, k.equals("name") ? name : "Your " + k.replace('_', ' ') + " matters to you."));
    return o;
  }

  private static JsonNode tone(Input in) {
    ObjectNode o = NODES.objectNode();
    o.putArray("seeker")
        .add("hey, got a minute? 😕")
        .add("it's been a rough week honestly")
        .add("thanks for listening");
    o.putArray("supporter")
        .add("of course, I'm here")
        .add("that sounds really hard 💛")
        .add("want to tell me more?");
    return o;
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
