package dev.rolesynth.characterchat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.characterchat.CharacterChat.Person;
import dev.rolesynth.characterchat.CharacterChat.Slot;
import dev.rolesynth.llm.Answers;
import dev.rolesynth.llm.ChatMessage;
import dev.rolesynth.pipeline.Settings;
import dev.rolesynth.pipeline.Stage;
import dev.rolesynth.pipeline.Vars;
import dev.rolesynth.retrieval.Words;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How CharacterChat makes a person, as the authors' src/profile and src/profile_trans do: invent,
 * expand in the same chat, state as seeker and as supporter, rewrite the long fields one by one,
 * write additional information and rewrite it.
 */
final class ProfileStages {
  private static final Pattern YOU = Pattern.compile("(?i)\\byou(r|rs|rself)?\\b");

  private ProfileStages() {}

  static Stage<Slot, Person> invent(Settings<CharacterChatKnobs> s) {
    return Stage.<Slot>asking("cc_profile", s, Vars::of)
        .giving((slot, a) -> Person.invented(slot, fields(a)))
        .keyedBy(slot -> "p" + slot.index());
  }

  /** The authors' second turn: the chat that invented the profile, asked to expand it. */
  static Stage<Person, Person> expand(Settings<CharacterChatKnobs> s) {
    return Stage.<Person>chatting(
            "cc_expand",
            s,
            p ->
                List.of(
                    ChatMessage.system(s.system("cc_expand", Map.of())),
                    ChatMessage.user(s.render("profile.user", Vars.of(p.slot()))),
                    ChatMessage.assistant(Answers.json(p.profile()).toString()),
                    ChatMessage.user(s.render("expand.user", Map.of()))))
        .giving((p, a) -> p.withFilled(fields(a)))
        .keyedBy(p -> "p" + p.slot().index())
        .checkedBy(
            (p, a) ->
                Answers.text(a, "name").equals(p.profile().get("name"))
                    ? null
                    : "keep \"name\" as it is: " + p.profile().get("name"));
  }

  /** The seeker's statement (from the base fields and the worry), then the supporter's. */
  static Stage<Person, Person> stateAsSeeker(Settings<CharacterChatKnobs> s) {
    return statement(
        s, "cc_seeker_statement", CharacterChat.SEEKER_BASE, Person::withSeekerStatement);
  }

  static Stage<Person, Person> stateAsSupporter(Settings<CharacterChatKnobs> s) {
    return statement(
        s, "cc_supporter_statement", CharacterChat.SUPPORTER_BASE, Person::withSupporterStatement);
  }

  /** What a statement stage makes of a person and the statement written. */
  interface Stated extends Serializable {
    Person with(Person p, String statement);
  }

  private static Stage<Person, Person> statement(
      Settings<CharacterChatKnobs> s, String stage, List<String> base, Stated stated) {
    return Stage.<Person>asking(
            stage, s, p -> Map.of("fields", Answers.json(only(p.filled(), base)).toString()))
        .giving((p, a) -> stated.with(p, Answers.text(a, "statement")))
        .keyedBy(p -> "p" + p.slot().index())
        .checkedBy((p, a) -> secondPerson("statement", Answers.text(a, "statement")));
  }

  /**
   * The next long field in the second person; the same stage follows with the next one until none
   * is left (a person with none passes without a call).
   */
  static Stage<Person, Person> rewrite(Settings<CharacterChatKnobs> s) {
    return Stage.<Person>asking(
            "cc_rewrite",
            s,
            p -> Map.of("field", p.nextRewrite(), "value", p.filled().get(p.nextRewrite())))
        .giving((p, a) -> p.rewrote(p.nextRewrite(), Answers.text(a, "text")))
        .keyedBy(p -> "p" + p.slot().index() + "/" + p.nextRewrite())
        .checkedBy((p, a) -> secondPerson("text", Answers.text(a, "text")))
        .skipping(p -> p.nextRewrite() == null ? List.of(p) : null)
        .followedBy(p -> p.nextRewrite() == null ? null : p);
  }

  static Stage<Person, Person> writeAdditional(Settings<CharacterChatKnobs> s) {
    return Stage.<Person>asking(
            "cc_info", s, p -> Map.of("profile", Answers.json(p.filled()).toString()))
        .giving((p, a) -> p.withAdditional(Answers.text(a, "additional_information")))
        .keyedBy(p -> "p" + p.slot().index())
        .checkedBy(
            (p, a) -> {
              int words = Words.of(Answers.text(a, "additional_information")).size();
              return words > 100
                  ? "\"additional_information\" must be at most 100 words, not " + words
                  : null;
            });
  }

  static Stage<Person, Person> rewriteAdditional(Settings<CharacterChatKnobs> s) {
    return Stage.<Person>asking("cc_info_rewrite", s, p -> Map.of("info", p.additional()))
        .giving((p, a) -> p.withAdditionalTrans(Answers.text(a, "text")))
        .keyedBy(p -> "p" + p.slot().index())
        .checkedBy((p, a) -> secondPerson("text", Answers.text(a, "text")));
  }

  static String secondPerson(String field, String text) {
    return YOU.matcher(text).find()
        ? null
        : "\"" + field + "\" must speak to the person in the second person (\"You are ...\")";
  }

  private static Map<String, String> only(Map<String, String> fields, List<String> keys) {
    Map<String, String> out = new LinkedHashMap<>();
    fields.forEach(
        (k, v) -> {
          if (keys.contains(k)) {
            out.put(k, v);
          }
        });
    return out;
  }

  static Map<String, String> fields(JsonNode a) {
    Map<String, String> out = new LinkedHashMap<>();
    CharacterChat.FIELDS.forEach(f -> out.put(f, a.get(f).asText().strip()));
    return out;
  }
}
