package dev.rolesynth.llm;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A stage's own check of a schema-valid answer (candidate sets, counts, cross-field rules that JSON
 * Schema cannot say). A problem makes the client re-ask with the problem in the conversation.
 */
@FunctionalInterface
public interface AnswerCheck {
  /**
   * @return null when the answer is fine, else one sentence the model can act on
   */
  String problem(JsonNode answer);

  AnswerCheck NONE = answer -> null;
}
