package dev.rolesynth;

/** A problem with the run's configuration or inputs, found before any LLM call is paid for. */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
