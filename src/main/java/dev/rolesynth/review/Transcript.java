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

  /**
   * An Alpaca-shaped record with history (LLaMA-Factory's form): the system prompt, each earlier
   * exchange, then the instruction (and input) and the output.
   */
  public Transcript alpaca(JsonNode r) {
    turn("system", r.path("system").asText(""), null);
    for (JsonNode h : r.path("history")) {
      turn("user", h.path("user").asText(), null);
      turn("assistant", h.path("assistant").asText(), null);
    }
    String input = r.path("input").asText("");
    turn("user", r.path("instruction").asText("") + (input.isEmpty() ? "" : "\n\n" + input), null);
    return turn("assistant", r.path("output").asText(""), null);
  }
}
