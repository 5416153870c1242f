package dev.rolesynth.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A record as the review shows it: {role, content, note} turns. */
public final class Transcript {
  private final ArrayNode turns;

  Transcript(ArrayNode turns) {
    this.turns = turns;
  }

  /**
   * Adds a turn; an empty one is left out unless it is the assistant's (an empty answer is a
   * finding).
   */
  public Transcript turn(String role, String content, String note) {
    if (content.isEmpty() && !role.equals("assistant")) {
      return this;
    }
    ObjectNode t = turns.addObject().put("role", role).put("content", content);
    if (note != null) {
      t.put("note", note);
    }
    return this;
  }

  /** Every {role, content} element of an array of turns. */
  public Transcript turns(JsonNode messages) {
    messages.forEach(m -> turn(m.path("role").asText(), m.path("content").asText(), null));
    return this;
  }
}
