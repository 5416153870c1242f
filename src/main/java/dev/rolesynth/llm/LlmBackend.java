package dev.rolesynth.llm;

/**
 * One attempt at a chat completion, with no retry, limit or validation logic: {@link LlmClient}
 * adds those around any backend (the OpenAI-compatible HTTP endpoint, the built-in simulator, ...).
 */
public interface LlmBackend extends AutoCloseable {
  ChatResponse chat(ChatRequest request) throws LlmException;

  /** Short kind for provenance and manifests: {@code openai-compatible}, {@code sim}. */
  String kind();

  @Override
  default void close() {}
}
