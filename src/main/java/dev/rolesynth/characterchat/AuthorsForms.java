package dev.rolesynth.characterchat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.avro.CharacterChatDialogue;
import dev.rolesynth.avro.CharacterChatUtterance;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The authors' info selector training set (model/dataset/), which draws on how the method chooses
 * aspects; their dialogues, profiles and speakers' training sets are jq forms (forms/).
 */
final class AuthorsForms {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AuthorsForms() {}

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
