package dev.rolesynth.cli;

import dev.rolesynth.llm.CallProgress;
import dev.rolesynth.options.RolesynthOptions;
import dev.rolesynth.pipeline.RolePipeline;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.stream.Stream;

/** Starts and stops the run's progress line, with the calls expected where the pipeline can tell. */
final class ProgressLine implements AutoCloseable {
  /** How often a log (not a terminal) gets a progress line. */
  static final Duration PLAIN_EVERY = Duration.ofSeconds(10);
  /** Input larger than this is not counted line by line just for an ETA. */
  private static final long COUNT_AT_MOST_BYTES = 2L << 30;

  static ProgressLine start(RolePipeline<?> pipeline, RolesynthOptions options, String input, boolean remote,
      PrintStream err) {
    if (remote) {
      err.println("rolesynth: the calls run on the cluster: each TaskManager's log has a progress line for its share, "
          + "and the Flink UI shows the job's stages");
      return new ProgressLine();
    }
    long perRecord = pipeline.expectedCallsPerRecord(options);
    long records = perRecord > 0 ? records(input, options.getLimit()) : 0;
    boolean terminal = System.console() != null && System.getenv("CI") == null;
    CallProgress.global().start("LLM calls", perRecord * records, terminal, err,
        line -> err.println("rolesynth: progress " + line.strip()), PLAIN_EVERY);
    return new ProgressLine();
  }

  /** Records the run will read: the lines of local input files (at most --limit); 0 when unknown. */
  static long records(String input, long limit) {
    try {
      Path path = Path.of(input).toAbsolutePath();
      Path dir = path.getParent();
      PathMatcher match = FileSystems.getDefault().getPathMatcher("glob:" + path);
      long lines = 0;
      long bytes = 0;
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.filter(match::matches).filter(Files::isRegularFile).toList()) {
          bytes += Files.size(f);
          if (bytes > COUNT_AT_MOST_BYTES) {
            return limit > 0 ? limit : 0;
          }
          try (Stream<String> l = Files.lines(f, java.nio.charset.StandardCharsets.ISO_8859_1)) {
            lines += l.filter(s -> !s.isBlank()).count();
          }
        }
      }
      return limit > 0 ? Math.min(limit, lines) : lines;
    } catch (IOException | RuntimeException e) {
      return limit > 0 ? limit : 0; // an object-store path, a pattern we cannot list: no ETA
    }
  }

  @Override
  public void close() {
    CallProgress.global().stop();
  }
}
