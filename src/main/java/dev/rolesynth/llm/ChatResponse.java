package dev.rolesynth.llm;

/** What one successful HTTP exchange (or simulated call) returned. */
public record ChatResponse(String content, int promptTokens, int completionTokens, String finishReason) {}
