package dev.rolesynth.characterchat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.avro.CharacterChatDialogue;
import dev.rolesynth.avro.CharacterChatProfile;
import dev.rolesynth.avro.CharacterChatSide;
import dev.rolesynth.avro.CharacterChatUtterance;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * CharacterChat's records in the authors' JSONL forms: their dialogues (data/dial_output.json),
 * profiles (data/profile_trans_output.json) and the three training sets their models learn from
 * (model/dataset/: supporter, seeker and info selector), one line per utterance or candidate.
 */
final class AuthorsForms {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AuthorsForms() {}

  /** {index, seeker_info, supporter_info, dial}, the infos' keys prefixed as theirs are. */
  static String dialogue(CharacterChatDialogue r) {
    ObjectNode o = JSON.createObjectNode().put("index", r.getId());
    info(o, CharacterChat.SEEKER, r.getSeeker());
    info(o, CharacterChat.SUPPORTER, r.getSupporter());
    ArrayNode dial = o.putArray("dial");
    for (CharacterChatUtterance u : r.getDial()) {
      ObjectNode t = dial.addObject().put("turn", u.getTurn()).put("speaker", u.getSpeaker());
      t.putObject("choose_info").put("aspect", u.getAspect()).put("content", u.getContent());
      t.put("utterance", u.getUtterance());
    }
    return o.toString();
  }

  private static void info(ObjectNode o, String who, CharacterChatSide s) {
    ObjectNode i = o.putObject(who + "_info");
    i.put(who + "_index", s.getIndex()).put(who + "_mbti", s.getMbti());
    i.set(who + "_profile", JSON.valueToTree(ordered(s.getProfile())));
    i.set(who + "_profile_trans", JSON.valueToTree(ordered(s.getProfileTrans())));
    i.put(who + "_statement", s.getStatement()).put(who + "_tone_sentences", s.getToneSentences());
  }

  /**
   * One line per utterance of {@code who} (the supporter's from turn 1, the seeker's from turn 2):
   * both statements, the dialogue since the speaker's first utterance, what the utterance drew on
   * and the utterance.
   */
  static String speaking(CharacterChatDialogue r, String who) {
    List<String> lines = new ArrayList<>();
    examples(r, who)
        .forEach(
            e -> {
              ObjectNode c = JSON.createObjectNode();
              c.putObject("system")
                  .put(CharacterChat.SEEKER, r.getSeeker().getStatement())
                  .put(CharacterChat.SUPPORTER, r.getSupporter().getStatement());
              ArrayNode history = c.putArray("history");
              e.history()
                  .forEach(
                      h ->
                          history
                              .addObject()
                              .put("from", h.getSpeaker())
                              .put("value", h.getUtterance()));
              c.put("info", e.said().getContent()).put("utterance", e.said().getUtterance());
              lines.add(JSON.createObjectNode().set("conversations", c).toString());
            });
    return String.join("\n", lines);
  }

  /**
   * The same examples as their trainer's preprocess.py lays them out, as prompt and completion:
   * {@code <SYSTEM>statement}, the history tagged {@code <SEEKER>}/{@code <SUPPORTER>}, then {@code
   * <SPEAKER>[INFO-what it drew on]}; the completion is the utterance. (Their seeker preprocessing
   * tags the info {@code <SUPPORTER>} too; we tag it with the speaker.)
   */
  static String prompted(CharacterChatDialogue r, String who) {
    String statement =
        (who.equals(CharacterChat.SEEKER) ? r.getSeeker() : r.getSupporter()).getStatement();
    List<String> lines = new ArrayList<>();
    examples(r, who)
        .forEach(
            e -> {
              StringBuilder prompt = new StringBuilder("<SYSTEM>").append(statement);
              e.history().forEach(h -> prompt.append(tag(h.getSpeaker())).append(h.getUtterance()));
              prompt.append(tag(who)).append("[INFO-").append(e.said().getContent()).append(']');
              lines.add(
                  JSON.createObjectNode()
                      .put("prompt", prompt.toString())
                      .put("completion", e.said().getUtterance())
                      .toString());
            });
    return String.join("\n", lines);
  }

  private static String tag(String speaker) {
    return "<" + speaker.toUpperCase(java.util.Locale.ROOT) + ">";
  }

  /** An utterance to learn and the dialogue before it, from the speaker's first utterance. */
  private record Example(List<CharacterChatUtterance> history, CharacterChatUtterance said) {}

  private static List<Example> examples(CharacterChatDialogue r, String who) {
    int first = who.equals(CharacterChat.SUPPORTER) ? 1 : 2;
    List<CharacterChatUtterance> dial = r.getDial();
    List<Example> out = new ArrayList<>();
    for (int t = first; t < dial.size(); t++) {
      if (dial.get(t).getSpeaker().equals(who)) {
        out.add(new Example(dial.subList(first, t), dial.get(t)));
      }
    }
    return out;
  }

  /**
   * The info selector's data: for each utterance that chose an aspect (not the Hello, not the two
   * goodbyes), every aspect the speaker could draw on and the additional information, the one drawn
   * on first and labelled 1, the others 0 in their profile's order (as theirs are), with the
   * dialogue before it as "speaker: utterance" text.
   */
  static String selector(CharacterChatDialogue r) {
    List<CharacterChatUtterance> dial = r.getDial();
    List<String> lines = new ArrayList<>();
    StringBuilder history = new StringBuilder();
    Map<String, String> seekers = ordered(r.getSeeker().getProfileTrans());
    Map<String, String> supporters = ordered(r.getSupporter().getProfileTrans());
    for (int t = 1; t < dial.size() - 2; t++) {
      CharacterChatUtterance u = dial.get(t);
      boolean seeker = u.getSpeaker().equals(CharacterChat.SEEKER);
      Map<String, String> aspects = seeker ? seekers : supporters;
      List<String> candidates = Choosing.candidates(aspects.keySet(), seeker);
      candidates.add(CharacterChat.ADDITIONAL);
      if (candidates.remove(u.getAspect())) {
        candidates.add(0, u.getAspect());
      }
      for (String k : candidates) {
        ObjectNode c = JSON.createObjectNode().put("history", history.toString().strip());
        c.put("info", aspects.get(k)).put("label", k.equals(u.getAspect()) ? 1 : 0);
        lines.add(JSON.createObjectNode().set("conversations", c).toString());
      }
      history.append(u.getSpeaker()).append(": ").append(u.getUtterance()).append(' ');
    }
    return String.join("\n", lines);
  }

  /** {index, mbti, profile (with its additional information), statements, profile_trans}. */
  static String profile(CharacterChatProfile r) {
    Map<String, String> profile = ordered(r.getFilledProfile());
    profile.put(CharacterChat.ADDITIONAL, r.getAdditionalInformation());
    ObjectNode o = JSON.createObjectNode().put("index", r.getId()).put("mbti", r.getMbti());
    o.set("profile", JSON.valueToTree(profile));
    o.put("seeker_statement", r.getSeekerStatement());
    o.put("supporter_statement", r.getSupporterStatement());
    o.set("profile_trans", JSON.valueToTree(ordered(r.getProfileTrans())));
    return o.toString();
  }

  /**
   * An Avro map in the authors' field order (Avro keeps no order): their sixteen fields, then any
   * other in name order, the additional information last.
   */
  static Map<String, String> ordered(Map<String, String> m) {
    Map<String, String> in = new TreeMap<>(m);
    Map<String, String> out = new LinkedHashMap<>();
    CharacterChat.FIELDS.forEach(
        f -> {
          if (in.containsKey(f)) {
            out.put(f, in.remove(f));
          }
        });
    String more = in.remove(CharacterChat.ADDITIONAL);
    out.putAll(in);
    if (more != null) {
      out.put(CharacterChat.ADDITIONAL, more);
    }
    return out;
  }
}
