package dev.rolesynth.pipeline;

import dev.rolesynth.ConfigException;
import java.io.IOException;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * An input option's files (the pool, source texts, an MRC pool) checked at launch, before any call.
 */
public final class InputFiles {
  private InputFiles() {}

  /** {@code pattern}, or a ConfigException naming {@code --option} when it matches no file. */
  public static String require(String option, String pattern) {
    matching(option, pattern);
    return pattern;
  }

  /**
   * The files {@code pattern} matches; a ConfigException naming {@code --option} with the store's
   * answer otherwise.
   */
  public static List<MatchResult.Metadata> matching(String option, String pattern) {
    String cannot = "--" + option + " " + pattern + " cannot be read: ";
    MatchResult match;
    try {
      match = FileSystems.match(pattern);
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(cannot + reason(e));
    }
    try {
      if (match.status() == MatchResult.Status.OK && !match.metadata().isEmpty()) {
        return match.metadata();
      }
    } catch (IOException e) { // an ERROR status keeps its cause here
      throw new ConfigException(cannot + reason(e));
    }
    if (match.status() == MatchResult.Status.ERROR) {
      throw new ConfigException(cannot + "unknown error");
    }
    throw new ConfigException("--" + option + " " + pattern + " matches no file");
  }

  /**
   * The first line of the deepest cause's message, e.g. S3's "The specified bucket does not exist".
   */
  public static String reason(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return m.split("\n")[0];
  }
}
