package dev.rolesynth.cli;

import dev.rolesynth.llm.CallProgress;
import dev.rolesynth.options.RolesynthOptions;
import dev.rolesynth.pipeline.RolePipeline;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * Starts and stops the run's progress line, with the calls expected where the pipeline can tell.
 */
final class ProgressLine implements AutoCloseable {
  /** How often a log (not a terminal) gets a progress line. */
  static final Duration PLAIN_EVERY = Duration.ofSeconds(10);

  /** Input larger than this is not counted line by line just for an ETA. */
  private static final long COUNT_AT_MOST_BYTES = 2L << 30;

  static ProgressLine start(
      RolePipeline<?> pipeline,
      RolesynthOptions options,
      String input,
      boolean remote,
      PrintStream err) {
    if (remote) {
      err.println(
          "rolesynth: the calls run on the cluster: each TaskManager's log has a progress line for its share, "
              + "and the Flink UI shows the job's stages");
      return new ProgressLine();
    }
    long perRecord = pipeline.expectedCallsPerRecord(options);
    long records = perRecord > 0 ? records(input, options.getLimit()) : 0;
    boolean terminal = System.console() != null && System.getenv("CI") == null;
    CallProgress.global()
        .start(
            "LLM calls",
            perRecord * records,
            terminal,
            err,
            line -> err.println("rolesynth: progress " + line.strip()),
            PLAIN_EVERY);
    return new ProgressLine();
  }

  /**
   * Records the run will read: the lines of local input files (at most --limit); 0 when unknown.
   */
  static long records(String input, long limit) {
    try {
      List<MatchResult.Metadata> files = FileSystems.match(input).metadata();
      long bytes = files.stream().mapToLong(MatchResult.Metadata::sizeBytes).sum();
      if (bytes > COUNT_AT_MOST_BYTES) {
        return limit > 0 ? limit : 0;
      }
      long lines = 0;
      for (MatchResult.Metadata f : files) {
        try (Stream<String> l =
            Files.lines(Path.of(f.resourceId().toString()), StandardCharsets.ISO_8859_1)) {
          lines += l.filter(s -> !s.isBlank()).count();
        }
      }
      return limit > 0 ? Math.min(limit, lines) : lines;
    } catch (IOException | RuntimeException e) {
      return limit > 0 ? limit : 0; // not a local file (object storage): no ETA
    }
  }

  /** The job succeeded: the line ends at 100 %. */
  void finished() {
    CallProgress.global().finish();
  }

  @Override
  public void close() {
    CallProgress.global().stop();
  }
}
