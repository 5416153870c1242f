package dev.rolesynth.characterchat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.characterchat.CharacterChat.Person;
import dev.rolesynth.characterchat.CharacterChat.Scored;
import dev.rolesynth.characterchat.CharacterChat.Talk;
import dev.rolesynth.pipeline.Settings;
import dev.rolesynth.pipeline.Stage;
import dev.rolesynth.pipeline.Vars;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

/**
 * CharacterChat's stages: what each reads from its record, the checks its answers must pass, what
 * it makes of them.
 */
final class Stages {
  /** A tone example in the authors' form. */
  private static final Pattern EXAMPLE =
      Pattern.compile("(?is)^\\s*when the other party .+,? you should say");

  /** What a person in a chat app would not say about themselves. */
  private static final Pattern AI =
      Pattern.compile(
          "(?i)\\b(as an ai|language model|i am an ai|i'm an ai|chatbot|virtual assistant)\\b");

  private Stages() {}

  /**
   * Five examples of how the speaker talks, written from their tone for this dialogue: the
   * seeker's, then (the same stage, at once) the supporter's, as the authors write them per
   * dialogue.
   */
  static Stage<Talk, Talk> tone(Settings<CharacterChatKnobs> s) {
    return Stage.<Talk>asking("cc_tone", s, t -> Map.of("tone", t.toneOf().trans().get("tone")))
        .reading(ToneAnswer.class, (t, a) -> t.toned(String.join("\n\n", a.samples())))
        .keyedBy(t -> t.key() + "/" + (t.seekerTone().isEmpty() ? "seeker" : "supporter"))
        .checkedBy((t, a) -> toneProblem(a))
        .followedBy(t -> t.supporterTone().isEmpty() ? t : null);
  }

  static String toneProblem(JsonNode a) {
    return StreamSupport.stream(a.get("samples").spliterator(), false)
            .allMatch(x -> EXAMPLE.matcher(x.asText()).find())
        ? null
        : "write every sample as: When the other party <does something>, you should say,"
            + " \"<what you would say>\"";
  }

  /**
   * The aspect the speaker's next utterance draws on, chosen from the other's last utterance (the
   * schema is narrowed to the aspects the speaker may choose, and "NONE").
   */
  static Stage<Talk, Talk> select(Settings<CharacterChatKnobs> s) {
    return Stage.<Talk>asking(
            "cc_select",
            s,
            t ->
                Map.of(
                    "last", t.lastUtterance(), "aspects", String.join(", ", Choosing.choosable(t))))
        .giving((t, a) -> Choosing.chosen(t, a.get("aspect").asText(), s.seed))
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
  static Stage<Talk, Talk> reply(Settings<CharacterChatKnobs> s) {
    return Stage.<Talk>asking(
            "cc_reply",
            s,
            t ->
                talkContext(t)
                    .with(
                        "statement",
                        t.seekersTurn()
                            ? t.seeker().seekerStatement()
                            : t.supporter().supporterStatement())
                    .with("other", t.listener().name())
                    .with("seeker", t.seekersTurn())
                    .with("examples", t.seekersTurn() ? t.seekerTone() : t.supporterTone())
                    .with("tone", t.speaker().trans().get("tone"))
                    .with("aspect", t.aspect())
                    .with("content", t.content())
                    .with("closing", t.closing()))
        .giving(
            (t, a) ->
                t.said(
                    Utterances.clean(a.get("utterance").asText(), t.lastUtterance()),
                    s.opt.maxUtterances()))
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
  static Stage<Talk, Talk> sentiment(Settings<CharacterChatKnobs> s) {
    return Stage.<Talk>asking(
            "cc_sentiment",
            s,
            t -> Map.of("sentence", t.lastUtterance().replaceAll("[(（].*?[)）]", "").strip()))
        .giving((t, a) -> t.felt(a.get("score").asInt()))
        .keyedBy(Stages::utteranceKey);
  }

  /** The answers' shapes, as their schemas in pipelines/characterchat/ give them. */
  record ToneAnswer(List<String> samples) {}

  record ScoreAnswer(int mood, int usefulness, int engagement, String reason) {}

  static Stage<Talk, Scored> score(Settings<CharacterChatKnobs> s) {
    return Stage.<Talk>asking("cc_score", s, Stages::talkContext)
        .reading(
            ScoreAnswer.class,
            (t, a) -> new Scored(t, a.mood(), a.usefulness(), a.engagement(), a.reason(), 0))
        .keyedBy(Talk::key);
  }

  /** Names and the chat so far, the speakers named as they are. */
  private static Vars talkContext(Talk t) {
    List<Map<String, String>> history =
        t.dial().stream()
            .map(
                u ->
                    Map.of(
                        "speaker",
                        u.speaker().equals(CharacterChat.SEEKER)
                            ? t.seeker().name()
                            : t.supporter().name(),
                        "utterance",
                        u.utterance()))
            .toList();
    return Vars.of()
        .with("seeker", t.seeker().name())
        .with("supporter", t.supporter().name())
        .with("history", history)
        .with("utterances", history.size());
  }

  /** A call of a dialogue: its pair and the utterance it is for. */
  private static String utteranceKey(Talk t) {
    return t.key() + "/u" + (t.dial().size() + 1);
  }

  /**
   * What a speaker may draw on: their second-person fields and the additional information (the name
   * left out).
   */
  static Map<String, String> aspects(Person p) {
    Map<String, String> out = new LinkedHashMap<>(p.trans());
    out.remove("name");
    return out;
  }
}
