package dev.rolesynth.pipeline;

import dev.rolesynth.ConfigException;
import java.io.IOException;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;

/** A pipeline's second input (source texts, an MRC pool) checked at launch, before any call. */
public final class InputFiles {
  private InputFiles() {}

  /** {@code pattern}, or a ConfigException naming {@code --option} when it matches no file. */
  public static String require(String option, String pattern) {
    try {
      MatchResult m = FileSystems.match(pattern);
      if (m.status() == MatchResult.Status.OK && !m.metadata().isEmpty()) {
        return pattern;
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException("--" + option + " " + pattern + " cannot be read: " + e.getMessage());
    }
    throw new ConfigException("--" + option + " " + pattern + " matches no file");
  }
}
