package dev.rolesynth.rolemrc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.google.auto.service.AutoService;
import dev.rolesynth.core.Ids;
import dev.rolesynth.llm.Answers;
import dev.rolesynth.pool.MrcItem;
import dev.rolesynth.retrieval.Words;
import dev.rolesynth.rolemrc.RoleMrc.Turn;
import dev.rolesynth.rolemrc.Stages.ChatAnswer;
import dev.rolesynth.sim.SimData;
import dev.rolesynth.sim.SimNames;
import dev.rolesynth.sim.StageSimulations;
import java.util.ArrayList;
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
  private static final SimData WORDS = SimData.of(RoleMrcSettings.PIPELINE);
  private static final List<String> FIRST = WORDS.get("first");
  private static final List<String> LAST = WORDS.get("last");

  @Override
  public String pipeline() {
    return RoleMrcSettings.PIPELINE;
  }

  @Override
  public Map<String, Answer> answers() {
    return Map.of("rolemrc_chat", RoleMrcSim::chat, "rolemrc_nested", RoleMrcSim::nested);
  }

  /** The choices behind the answers declared in simulated.yaml. */
  @Override
  public Map<String, Answer.Vars> vars() {
    return Map.of("rolemrc_profile", RoleMrcSim::profile, "rolemrc_mrc", RoleMrcSim::mrc);
  }

  private static Map<String, ?> profile(Input in) {
    String persona = in.get("persona");
    List<String> skills =
        new ArrayList<>(
            Words.of(persona).stream()
                .filter(w -> w.length() > 5)
                .limit(5)
                .map(w -> "knows a great deal about " + w)
                .toList());
    while (skills.size() < 3) {
      skills.add("explains things patiently");
    }
    return Map.of(
        "simName", SimNames.pick(in, Ids.seed(0, persona), FIRST, LAST),
        "simWho", lower(persona),
        "simSkills", skills);
  }

  private static JsonNode chat(Input in) {
    boolean act = in.get("narration").equals(Text.WITH);
    boolean roleFirst = in.get("firstSpeaker").equals("role");
    int n = in.get("turns").isEmpty() ? 2 : Integer.parseInt(in.get("turns").strip());
    List<Turn> turns = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      boolean role = (i % 2 == 0) == roleFirst;
      String mine = "As " + in.get("name") + ", I would say this is close to my heart; turn ";
      turns.add(
          role
              ? new Turn("role", (act ? "(smiles) " : "") + mine + (i + 1) + ".")
              : new Turn("user", "Tell me more about that, please; turn " + (i + 1) + "."));
    }
    return Answers.json(new ChatAnswer(turns));
  }

  private static Map<String, ?> mrc(Input in) {
    String act = in.get("narration").equals(Text.WITH) ? "(thinks for a moment) " : "";
    String reference = in.get("reference");
    String answer =
        reference.equals(MrcItem.NO_ANSWER) || reference.isEmpty()
            ? "My guess is that it depends on the circumstances."
            : reference;
    return Map.of(
        "simAct", act, "simAnswer", act.isEmpty() ? answer.replaceAll("[()]", "") : answer);
  }

  /** The first answer, changed as the rule asks: from the rule's wording, not its checks. */
  private static JsonNode nested(Input in) {
    String rule = in.get("rule");
    String answer = in.get("answer");
    List<String> words = List.of(answer.split("\\s+"));
    String reply =
        rule.contains("at most 40 words")
            ? String.join(" ", words.subList(0, Math.min(40, words.size())))
            : rule.contains("begin your reply")
                ? in.get("name") + ": " + answer
                : rule.contains("by its number")
                    ? answer + " See [1]."
                    : rule.contains("word for word")
                        ? answer
                            + " As the passage puts it, \""
                            + firstWords(in.get("passages"))
                            + "\""
                        : answer + " What do you think?";
    return NODES.objectNode().put("reply", reply);
  }

  /** The first passage's first six words, its "[1] " left off. */
  private static String firstWords(String passages) {
    String first = passages.split("\n")[0].replaceFirst("^\\[\\d+] ", "");
    List<String> w = List.of(first.split("\\s+"));
    return String.join(" ", w.subList(0, Math.min(6, w.size())));
  }

  private static String lower(String s) {
    String t = s.strip().replaceAll("[.]+$", "");
    return t.isEmpty() ? "a person" : Character.toLowerCase(t.charAt(0)) + t.substring(1);
  }
}
