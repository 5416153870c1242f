package dev.rolesynth.rolemrc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.auto.service.AutoService;
import dev.rolesynth.core.Draws;
import dev.rolesynth.retrieval.Words;
import dev.rolesynth.sim.StageSimulations;
import java.util.List;
import java.util.Map;

/**
 * How the built-in simulator answers RoleMRC's stages: from each stage's input (the persona, the
 * reference answer, the rule), so that answers pass the stages' checks and translated prompts
 * change nothing. A name is picked from the persona's hash; the rest is the input, rearranged.
 */
@AutoService(StageSimulations.class)
public final class RoleMrcSim implements StageSimulations {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final List<String> NAMES =
      List.of(
          "Mara Lindqvist",
          "Tomas Okafor",
          "Ines Duarte",
          "Henrik Vale",
          "Aiko Brennan",
          "Luca Moretti",
          "Nadia Petrova",
          "Samuel Achebe");

  @Override
  public String pipeline() {
    return RoleMrcSettings.PIPELINE;
  }

  @Override
  public Map<String, Answer> answers() {
    return Map.of(
        "rolemrc_profile",
        RoleMrcSim::profile,
        "rolemrc_chat",
        RoleMrcSim::chat,
        "rolemrc_mrc",
        RoleMrcSim::mrc,
        "rolemrc_nested",
        RoleMrcSim::nested);
  }

  private static JsonNode profile(Input in) {
    String persona = in.get("persona");
    String name = Draws.pick(NAMES, 0, persona);
    ObjectNode o =
        NODES
            .objectNode()
            .put("name", name)
            .put("description", "Someone who is " + lower(persona))
            .put(
                "speechStyle",
                "warm and plain-spoken, with small jokes and examples from daily work")
            .put("background", "Years of practice as " + lower(persona))
            .put(
                "boundaries",
                "Knows little about law, taxes, finance, medicine or computer programming.");
    ArrayNode skills = o.putArray("skills");
    List<String> words = Words.of(persona).stream().filter(w -> w.length() > 5).limit(5).toList();
    words.forEach(w -> skills.add("knows a great deal about " + w));
    while (skills.size() < 3) {
      skills.add("explains things patiently");
    }
    o.putArray("personality")
        .add("curious")
        .add("patient")
        .add("stubborn")
        .add("kind")
        .add("talkative");
    o.putArray("speechExamples")
        .add("(smiles) Let me tell you how it really works.")
        .add("(leans in) Now that is a good question.")
        .add("(laughs) I have seen stranger things.")
        .add("(nods) Take your time.");
    return o;
  }

  private static JsonNode chat(Input in) {
    boolean act = in.get("narration").equals(Text.WITH);
    boolean roleFirst = in.get("firstSpeaker").equals("role");
    int n = in.get("turns").isEmpty() ? 2 : Integer.parseInt(in.get("turns").strip());
    ObjectNode o = NODES.objectNode();
    ArrayNode turns = o.putArray("turns");
    for (int i = 0; i < n; i++) {
      boolean role = (i % 2 == 0) == roleFirst;
      turns
          .addObject()
          .put("speaker", role ? "role" : "user")
          .put(
              "text",
              role
                  ? (act ? "(smiles) " : "")
                      + "As "
                      + in.get("name")
                      + ", I would say this is close to my heart; turn "
                      + (i + 1)
                      + "."
                  : "Tell me more about that, please; turn " + (i + 1) + ".");
    }
    return o;
  }

  private static JsonNode mrc(Input in) {
    String act = in.get("narration").equals(Text.WITH) ? "(thinks for a moment) " : "";
    String reference = in.get("reference");
    String answer =
        reference.equals(Mappers.Items.NO_ANSWER) || reference.isEmpty()
            ? "My guess is that it depends on the circumstances."
            : reference;
    if (act.isEmpty()) {
      answer = answer.replaceAll("[()]", "");
    }
    return NODES
        .objectNode()
        .put("answer", act + "Well, here is what I know. " + answer)
        .put(
            "refusal",
            act
                + "I am sorry, but I cannot help you with that one; it is not something I can speak to.");
  }

  private static JsonNode nested(Input in) {
    String rule = in.get("rule");
    String answer = in.get("answer");
    String reply =
        rule.startsWith("Reply in")
            ? String.join(
                " ",
                answer.split("\\s+", 41).length > 40
                    ? List.of(answer.split("\\s+")).subList(0, 40)
                    : List.of(answer.split("\\s+")))
            : rule.startsWith("Begin")
                ? in.get("name") + ": " + answer
                : answer + " What do you think?";
    return NODES.objectNode().put("reply", reply);
  }

  private static String lower(String s) {
    String t = s.strip().replaceAll("[.]+$", "");
    return t.isEmpty() ? "a person" : Character.toLowerCase(t.charAt(0)) + t.substring(1);
  }
}
