package dev.rolesynth.llm;

import com.fasterxml.jackson.databind.JsonNode;

/** Reading an LLM's structured answer, after its JSON Schema passed. */
public final class Answers {
  private Answers() {}

  /**
   * The answer's string field {@code field}, trimmed. A missing field is an unusable answer (the
   * call's dead letter names the field), never an empty string passed on as data.
   */
  public static String text(JsonNode answer, String field) {
    JsonNode v = answer == null ? null : answer.get(field);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException("the answer has no \"" + field + "\"");
    }
    return v.asText().strip();
  }
}
