package dev.rolesynth.llm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One chat-completion request. {@code schemaName} doubles as the stage name: it is sent as the
 * {@code json_schema.name} so that servers, logs and the simulator know which stage asked.
 *
 * @param schema JSON Schema of the expected answer, or null for free text
 * @param stageInput the variables the stage's templates were rendered with: what the built-in
 *     simulator answers from, so that it reads no prompt text (a translated template changes
 *     nothing for it). Never sent to a provider, and not part of the cache key.
 */
public record ChatRequest(
    String schemaName,
    List<ChatMessage> messages,
    double temperature,
    int maxTokens,
    long seed,
    JsonNode schema,
    Map<String, ?> stageInput) {

  public ChatRequest {
    messages = List.copyOf(messages);
    stageInput = stageInput == null ? Map.of() : stageInput;
  }

  public ChatRequest(
      String schemaName,
      List<ChatMessage> messages,
      double temperature,
      int maxTokens,
      long seed,
      JsonNode schema) {
    this(schemaName, messages, temperature, maxTokens, seed, schema, Map.of());
  }

  /** The same request carrying the variables its templates read. */
  public ChatRequest withStageInput(Map<String, ?> input) {
    return new ChatRequest(schemaName, messages, temperature, maxTokens, seed, schema, input);
  }

  public boolean structured() {
    return schema != null;
  }

  /** The same request with more turns appended (used to re-ask after an invalid answer). */
  public ChatRequest withAppended(ChatMessage... more) {
    List<ChatMessage> all = new ArrayList<>(messages);
    all.addAll(List.of(more));
    return new ChatRequest(schemaName, all, temperature, maxTokens, seed, schema, stageInput);
  }

  /** The same request with another {@code max_tokens}. */
  public ChatRequest withMaxTokens(int tokens) {
    return tokens == maxTokens
        ? this
        : new ChatRequest(schemaName, messages, temperature, tokens, seed, schema, stageInput);
  }

  /** The same request with a schema narrowed for this call (an enum of this role's names, say). */
  public ChatRequest withSchema(JsonNode narrowed) {
    return new ChatRequest(
        schemaName, messages, temperature, maxTokens, seed, narrowed, stageInput);
  }

  /**
   * Rough prompt size in tokens (4 characters a token plus per-message overhead), for TPM
   * reservations.
   */
  public int estimatePromptTokens() {
    int chars = 0;
    for (ChatMessage m : messages) {
      chars += m.content().length();
    }
    int schemaChars = schema == null ? 0 : schema.toString().length();
    return (chars + schemaChars) / 4 + 4 * messages.size() + 3;
  }
}
