package dev.rolesynth.characterchat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.characterchat.CharacterChat.Person;
import dev.rolesynth.characterchat.CharacterChat.Scored;
import dev.rolesynth.characterchat.CharacterChat.Slot;
import dev.rolesynth.characterchat.CharacterChat.Talk;
import dev.rolesynth.llm.Answers;
import dev.rolesynth.pipeline.Stage;
import dev.rolesynth.retrieval.Words;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * CharacterChat's stages: what each reads from its record, the checks its answers must pass, what
 * it makes of them.
 */
final class Stages {
  /** What a person in a chat app would not say about themselves. */
  private static final Pattern AI =
      Pattern.compile(
          "(?i)\\b(as an ai|language model|i am an ai|i'm an ai|chatbot|virtual assistant)\\b");

  private Stages() {}

  static Stage<Slot, Person> profile(CharacterChatSettings s) {
    return Stage.<Slot, Person>rendering(
            "cc_profile",
            s,
            slot -> Map.of("mbti", slot.type().mbti(), "index", slot.index()),
            (slot, a) ->
                List.of(
                    new Person(
                        slot, fields(a), Map.of(), Map.of(), "", "", "", List.of(), List.of())))
        .keyedBy(slot -> "p" + slot.index());
  }

  static Stage<Person, Person> expand(CharacterChatSettings s) {
    return Stage.<Person, Person>rendering(
            "cc_expand",
            s,
            p ->
                Map.of(
                    "name", p.name(), "mbti", p.slot().type().mbti(), "fields", pairs(p.profile())),
            (p, a) -> List.of(p.expanded(fields(a))))
        .keyedBy(p -> "p" + p.slot().index())
        .checkedBy(
            (p, a) ->
                Answers.text(a, "name").equals(p.name())
                    ? null
                    : "keep \"name\" as it is: " + p.name());
  }

  static Stage<Person, Person> transform(CharacterChatSettings s) {
    return Stage.<Person, Person>rendering(
            "cc_transform",
            s,
            p ->
                Map.of(
                    "name", p.name(), "mbti", p.slot().type().mbti(), "fields", pairs(p.filled())),
            (p, a) ->
                List.of(
                    p.inSecondPerson(
                        fields(a.get("fields")),
                        Answers.text(a, "seeker"),
                        Answers.text(a, "supporter"),
                        Answers.text(a, "additional_information"))))
        .keyedBy(p -> "p" + p.slot().index())
        .checkedBy(Stages::transformProblem);
  }

  static String transformProblem(Person p, JsonNode a) {
    for (String side : List.of("seeker", "supporter")) {
      if (!Pattern.compile("(?i)\\byou(r)?\\b").matcher(a.get(side).asText()).find()) {
        return "\""
            + side
            + "\" must speak to "
            + p.name()
            + " in the second person (\"You are ...\")";
      }
    }
    int words = Words.of(a.get("additional_information").asText()).size();
    return words > 100
        ? "\"additional_information\" must be at most 100 words, not " + words
        : null;
  }

  static Stage<Person, Person> tone(CharacterChatSettings s) {
    return Stage.<Person, Person>rendering(
            "cc_tone",
            s,
            p ->
                Map.of(
                    "name",
                    p.name(),
                    "tone",
                    p.profile().get("tone"),
                    "personality",
                    p.profile().get("personality")),
            Stage.reading(
                ToneAnswer.class, (p, a) -> List.of(p.withTone(a.seeker(), a.supporter()))))
        .keyedBy(p -> "p" + p.slot().index());
  }

  /**
   * The aspect the speaker's next utterance draws on, chosen from the other's last utterance (the
   * schema is narrowed to the aspects the speaker may choose, and "NONE").
   */
  static Stage<Talk, Talk> select(CharacterChatSettings s) {
    return Stage.<Talk, Talk>rendering(
            "cc_select",
            s,
            t ->
                Map.of(
                    "last", t.lastUtterance(), "aspects", String.join(", ", Choosing.choosable(t))),
            (t, a) -> List.of(Choosing.chosen(t, a.get("aspect").asText(), s.seed)))
        .keyedBy(Stages::utteranceKey)
        .adjusting(
            (t, r) -> {
              ObjectNode schema = r.schema().deepCopy();
              var keys = ((ObjectNode) schema.get("properties").get("aspect")).putArray("enum");
              Choosing.choosable(t).forEach(keys::add);
              keys.add(Choosing.NONE);
              return r.withSchema(schema);
            });
  }

  /**
   * The speaker's next utterance, drawing on the chosen aspect; a closing one once the stop rule
   * holds.
   */
  static Stage<Talk, Talk> reply(CharacterChatSettings s) {
    return Stage.<Talk, Talk>rendering(
            "cc_reply",
            s,
            t -> {
              Map<String, Object> in = talkContext(t);
              boolean seeker = t.seekersTurn();
              in.put("statement", seeker ? t.seeker().seekerInfo() : t.supporter().supporterInfo());
              in.put("other", t.listener().name());
              in.put("seeker", seeker);
              in.put("examples", seeker ? t.seeker().seekerTone() : t.supporter().supporterTone());
              in.put("aspect", t.aspect());
              in.put("content", t.content());
              in.put("closing", t.closing());
              return in;
            },
            (t, a) -> {
              String said = Utterances.clean(a.get("utterance").asText(), t.lastUtterance());
              return List.of(t.said(said, s.maxUtterances));
            })
        .keyedBy(Stages::utteranceKey)
        .checkedBy((t, a) -> replyProblem(a.get("utterance").asText()));
  }

  static String replyProblem(String utterance) {
    if (AI.matcher(utterance).find()) {
      return "you are a person in a chat: never say or hint that you are an AI";
    }
    long sentences = utterance.split("(?<=[.!?])\\s+").length;
    return sentences > 3 ? "write one or two short sentences, not " + sentences : null;
  }

  /**
   * The sentiment of the seeker's last utterance alone, 0-5, against anchored examples, its stage
   * directions in parentheses left out, as the authors score it.
   */
  static Stage<Talk, Talk> sentiment(CharacterChatSettings s) {
    return Stage.<Talk, Talk>rendering(
            "cc_sentiment",
            s,
            t -> Map.of("sentence", t.lastUtterance().replaceAll("[(（].*?[)）]", "").strip()),
            (t, a) -> List.of(t.felt(a.get("score").asInt())))
        .keyedBy(Stages::utteranceKey);
  }

  /** The answers' shapes, as their schemas in pipelines/characterchat/ give them. */
  record ToneAnswer(List<String> seeker, List<String> supporter) {}

  record ScoreAnswer(int mood, int usefulness, int engagement, String reason) {}

  static Stage<Talk, Scored> score(CharacterChatSettings s) {
    return Stage.<Talk, Scored>rendering(
            "cc_score",
            s,
            Stages::talkContext,
            Stage.reading(
                ScoreAnswer.class,
                (t, a) ->
                    List.of(new Scored(t, a.mood(), a.usefulness(), a.engagement(), a.reason()))))
        .keyedBy(Talk::key);
  }

  /** Names and the chat so far, the speakers named as they are. */
  private static Map<String, Object> talkContext(Talk t) {
    Map<String, Object> in = new HashMap<>();
    in.put("seeker", t.seeker().name());
    in.put("supporter", t.supporter().name());
    List<Map<String, String>> history = new ArrayList<>();
    t.dial()
        .forEach(
            u ->
                history.add(
                    Map.of(
                        "speaker",
                        u.speaker().equals(CharacterChat.SEEKER)
                            ? t.seeker().name()
                            : t.supporter().name(),
                        "utterance",
                        u.utterance())));
    in.put("history", history);
    in.put("utterances", history.size());
    return in;
  }

  /** A call of a dialogue: its pair and the utterance it is for. */
  private static String utteranceKey(Talk t) {
    return t.key() + "/u" + (t.dial().size() + 1);
  }

  /** What a speaker may draw on: their second-person fields and the additional information. */
  static Map<String, String> aspects(Person p) {
    Map<String, String> out = new LinkedHashMap<>(p.second());
    out.remove("name");
    out.put("additional_information", p.additional());
    return out;
  }

  static List<Map<String, String>> pairs(Map<String, String> fields) {
    List<Map<String, String>> out = new ArrayList<>();
    fields.forEach((k, v) -> out.add(Map.of("key", k, "value", v)));
    return out;
  }

  private static Map<String, String> fields(JsonNode a) {
    Map<String, String> out = new LinkedHashMap<>();
    CharacterChat.FIELDS.forEach(f -> out.put(f, a.get(f).asText().strip()));
    return out;
  }
}
