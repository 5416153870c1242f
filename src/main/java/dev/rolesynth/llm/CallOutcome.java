package dev.rolesynth.llm;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The end of one logical call: either an answer ({@code json} set for structured stages) or an
 * error, and in both cases what it cost, so that failed calls are still accounted for.
 */
public record CallOutcome(String content, JsonNode json, LlmException error, CallStats stats) {
  public boolean ok() {
    return error == null;
  }
}
