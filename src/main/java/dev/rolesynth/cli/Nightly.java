package dev.rolesynth.cli;

import dev.rolesynth.ConfigException;
import dev.rolesynth.core.Ids;
import dev.rolesynth.pipeline.Folder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What a scheduled night produces, chosen with {@code --nightly}:
 *
 * <ul>
 *   <li>{@code off}: every run of the same pool and seed makes the same records (and replays them
 *       from the cache); a night is a copy of the last unless the pool changed.
 *   <li>{@code incremental}: only records no earlier successful night published (same id, same
 *       content), found from the ledger each successful night appends to; a grown pool yields only
 *       its new or changed records, a failed one is tried again.
 *   <li>{@code fresh}: new samples every night: the seed is derived from {@code --seed} and {@code
 *       --runDate}, and the cache is kept per night, so reruns of one night replay it and other
 *       nights do not.
 * </ul>
 */
record Nightly(String mode, String runDate, Folder ledgerDir) {
  static final String LEDGER_FILES = "published-*.jsonl";

  static Nightly of(String mode, String runDate, String ledgerDir, Folder output, String pipeline) {
    String m = mode.strip();
    if (!List.of("off", "incremental", "fresh").contains(m)) {
      throw new ConfigException("--nightly must be off, incremental or fresh, got '" + mode + "'");
    }
    String dir = RunSettings.placeholders(ledgerDir.strip(), pipeline, runDate);
    Folder ledger =
        dir.isEmpty() ? output.parent().child(".rolesynth-ledger/" + pipeline) : Folder.of(dir);
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

  /**
   * Fresh nights keep their answers apart: a cache folder per night, unless the path says
   * otherwise.
   */
  String cacheDir(String dir) {
    return fresh() && !dir.isEmpty() && !dir.contains(runDate) ? dir + "/" + runDate : dir;
  }

  /** The ledger files earlier nights wrote. */
  String ledgerGlob() {
    return ledgerDir.path(LEDGER_FILES);
  }

  /**
   * After a succeeded run: its ledger lines join the ledger, so later nights leave those records
   * out.
   */
  void record(Folder pending, String runId, PrintStream err) throws IOException {
    if (!incremental()) {
      return;
    }
    long lines = 0;
    for (String f : pending.files().keySet()) {
      byte[] bytes;
      try (var in = pending.open(f)) {
        bytes = in.readAllBytes();
      }
      lines += new String(bytes, StandardCharsets.UTF_8).lines().filter(x -> !x.isBlank()).count();
      // Written whole under a new name (a ledger file is small), so a reader never sees part of
      // one.
      ledgerDir.write("published-" + runDate + "-" + runId + "-" + f.replace('/', '-'), bytes);
    }
    err.println(
        "rolesynth: "
            + lines
            + " records added to the ledger "
            + ledgerDir
            + " (--nightly=incremental)");
  }
}
