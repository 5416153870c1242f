package dev.rolesynth.cli;

import dev.rolesynth.ConfigException;
import dev.rolesynth.pipeline.Ids;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a scheduled night produces, chosen with {@code --nightly}:
 * <ul>
 *   <li>{@code off}: every run of the same pool and seed makes the same records (and replays them from
 *       the cache); a night is a copy of the last unless the pool changed.
 *   <li>{@code incremental}: only records no earlier successful night published (same id, same content),
 *       found from the ledger each successful night appends to; a grown pool yields only its new or
 *       changed records, a failed one is tried again.
 *   <li>{@code fresh}: new samples every night: the seed is derived from {@code --seed} and
 *       {@code --runDate}, and the cache is kept per night, so reruns of one night replay it and other
 *       nights do not.
 * </ul>
 */
record Nightly(String mode, String runDate, Path ledgerDir) {
  static final String LEDGER_FILES = "published-*.jsonl";

  static Nightly of(String mode, String runDate, String ledgerDir, Path output, String pipeline) {
    String m = mode.strip();
    if (!List.of("off", "incremental", "fresh").contains(m)) {
      throw new ConfigException("--nightly must be off, incremental or fresh, got '" + mode + "'");
    }
    String dir = RunSettings.placeholders(ledgerDir.strip(), pipeline, runDate);
    Path ledger = dir.isEmpty()
        ? (output.getParent() == null ? output : output.getParent()).resolve(".rolesynth-ledger").resolve(pipeline)
        : Path.of(dir).toAbsolutePath().normalize();
    return new Nightly(m, runDate, ledger);
  }

  boolean incremental() {
    return mode.equals("incremental");
  }

  boolean fresh() {
    return mode.equals("fresh");
  }

  /** The seed the run uses: the given one, or for fresh nights one drawn from it and the date. */
  long seed(long given) {
    return fresh() ? Ids.seed(given, "night", runDate) : given;
  }

  /** Fresh nights keep their answers apart: a cache folder per night, unless the path says otherwise. */
  String cacheDir(String dir) {
    return fresh() && !dir.isEmpty() && !dir.contains(runDate) ? dir + "/" + runDate : dir;
  }

  /** The ledger files earlier nights wrote. */
  String ledgerGlob() {
    return ledgerDir.resolve(LEDGER_FILES).toString();
  }

  /** After a succeeded run: its ledger lines join the ledger, so later nights leave those records out. */
  void record(Path pending, String runId, PrintStream err) throws IOException {
    if (!incremental() || !Files.isDirectory(pending)) {
      return;
    }
    Files.createDirectories(ledgerDir);
    long lines = 0;
    try (Stream<Path> s = Files.list(pending)) {
      for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
        try (Stream<String> l = Files.lines(f)) {
          lines += l.filter(x -> !x.isBlank()).count();
        }
        Path target = ledgerDir.resolve("published-" + runDate + "-" + runId + "-" + f.getFileName());
        Files.move(f, target, StandardCopyOption.ATOMIC_MOVE);
      }
    }
    err.println("rolesynth: " + lines + " records added to the ledger " + ledgerDir + " (--nightly=incremental)");
  }
}
