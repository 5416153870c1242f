package dev.rolesynth.llm;

import java.io.Serializable;

/** One message of an OpenAI-style conversation. */
public record ChatMessage(String role, String content) implements Serializable {
  public static ChatMessage system(String content) {
    return new ChatMessage("system", content);
  }

  public static ChatMessage user(String content) {
    return new ChatMessage("user", content);
  }

  public static ChatMessage assistant(String content) {
    return new ChatMessage("assistant", content);
  }
}
