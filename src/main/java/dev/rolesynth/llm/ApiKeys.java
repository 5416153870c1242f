package dev.rolesynth.llm;

import dev.rolesynth.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the API key from the environment variable or file that the configuration <em>names</em>.
 * Error messages name the variable or file, never a value.
 */
public final class ApiKeys {
  private ApiKeys() {}

  /**
   * @return the key, or null when the configuration asks for none
   */
  public static String resolve(LlmConfig config) {
    if (config.apiKeyEnv() != null && !config.apiKeyEnv().isBlank()) {
      String value = System.getenv(config.apiKeyEnv());
      if (value == null || value.isBlank()) {
        throw new ConfigException(
            "--llmApiKeyEnv names the environment variable "
                + config.apiKeyEnv()
                + ", which is not set or empty");
      }
      return value.trim();
    }
    if (config.apiKeyFile() != null && !config.apiKeyFile().isBlank()) {
      try {
        String value =
            Files.readString(Path.of(config.apiKeyFile()), StandardCharsets.UTF_8).trim();
        if (value.isEmpty()) {
          throw new ConfigException("--llmApiKeyFile " + config.apiKeyFile() + " is empty");
        }
        return value;
      } catch (IOException e) {
        throw new ConfigException("--llmApiKeyFile " + config.apiKeyFile() + " cannot be read");
      }
    }
    return null;
  }
}
