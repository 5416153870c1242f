package dev.rolesynth.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.options.RolesynthOptions;
import dev.rolesynth.pipeline.Ledger;
import dev.rolesynth.pipeline.ReadPool;
import dev.rolesynth.pipeline.RunInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a finished job adds up to: the published files' counts and the job's counters, weighed into
 * a failure ratio, and the manifest that says so. Every pipeline's numbers add up the same way
 * here.
 */
final class RunReport {
  /**
   * The shared counters, in the manifest's order; a pipeline's own ones go under {@code counters}.
   */
  static final List<String> COUNTERS =
      List.of(
          "input.records",
          "input.kept",
          "input.truncatedRecords",
          "llm.calls",
          "llm.requests",
          "llm.rateLimited",
          "llm.retries",
          "llm.repairs",
          "llm.cacheHits",
          "llm.repeated",
          "llm.failedCalls",
          "llm.promptTokens",
          "llm.completionTokens",
          "llm.throttledMillis");

  private final RolesynthOptions options;
  private final Map<String, Long> counters;
  private final Manifest.Counts counts;
  private final String primaryDataset;
  final long inputRecords;
  final long skippedByLimit;
  final long skippedAsPublished;
  final double failureRatio;
  final boolean tooManyFailures;

  RunReport(
      RolesynthOptions options,
      Map<String, Long> counters,
      Manifest.Counts counts,
      String primaryDataset) {
    this.options = options;
    this.counters = counters;
    this.counts = counts;
    this.primaryDataset = primaryDataset;
    inputRecords = counters.get("input.records");
    long readFailures = counts.failuresByStage().getOrDefault(ReadPool.STAGE, 0L);
    skippedAsPublished = counters.getOrDefault(Ledger.SKIPPED, 0L);
    skippedByLimit =
        options.getLimit() > 0
            ? Math.max(
                0, inputRecords - counters.get("input.kept") - readFailures - skippedAsPublished)
            : 0;
    // Measured on the primary dataset's units (a dialogue, a post, an item), which failures also
    // count.
    long primary = counts.records(primaryDataset);
    // Filter decisions (judges, coherence, conflict) are the method working, not failing.
    long errors = counts.failures() - counts.filtered();
    failureRatio =
        primary + counts.failures() == 0 ? 0 : (double) errors / (primary + counts.failures());
    tooManyFailures = failureRatio > options.getMaxFailureRatio();
  }

  String statusReason() {
    return String.format(
        "%.1f%% of records failed, above --maxFailureRatio=%s",
        100 * failureRatio, options.getMaxFailureRatio());
  }

  /** The manifest's head: status and how the records were counted. */
  ObjectNode manifest(RunInfo run, String runner, String primaryDataset) {
    ObjectNode m = Manifest.MAPPER.createObjectNode();
    m.put("pipeline", run.pipeline());
    m.put("pipelineVersion", run.pipelineVersion());
    m.put("runner", runner);
    m.put("runId", run.runId());
    m.put("status", tooManyFailures ? "failed" : "succeeded");
    if (tooManyFailures) {
      m.put("statusReason", statusReason());
    }
    m.put("inputRecords", inputRecords);
    m.put("skippedByLimit", skippedByLimit);
    m.put("skippedAsPublished", skippedAsPublished);
    if (options.getLimit() > 0) {
      m.put(
          "countedAs",
          "--limit="
              + options.getLimit()
              + ": the first "
              + options.getLimit()
              + " usable records in "
              + "file order (files by name, then line) and the unusable lines among the lines read to find them; the "
              + skippedByLimit
              + " records after them ("
              + counters.getOrDefault("input.failuresAfterLimit", 0L)
              + " of them unusable or repeated) are skippedByLimit and do not count towards --maxFailureRatio");
    }
    // Units of the primary dataset (a dialogue, a PCIP record, an item); every dataset's count is
    // below.
    m.put("outputRecords", counts.records(primaryDataset));
    m.put("primaryDataset", primaryDataset);
    m.set("datasets", Manifest.MAPPER.valueToTree(counts.datasets()));
    m.put("jsonlRecords", counts.jsonlRecords());
    m.put("failedRecords", counts.failures());
    m.put("filteredRecords", counts.filtered());
    m.set("failuresByReason", Manifest.MAPPER.valueToTree(counts.failuresByReason()));
    m.set("failuresByStage", Manifest.MAPPER.valueToTree(counts.failuresByStage()));
    m.put("truncatedRecords", counters.get("input.truncatedRecords"));
    m.set("inputs", inputs());
    ObjectNode l = m.putObject("llm");
    l.put("endpoint", Manifest.redactUrl(run.llm().endpoint()));
    l.put("endpointKind", run.endpointKind());
    l.put("model", run.llm().model());
    l.put("simulated", run.llm().simulated());
    l.put("cacheDir", run.llm().cached() ? run.llm().cacheDir() : "");
    return m;
  }

  /**
   * Each input record counted once by what became of it; the same sum in every pipeline: records =
   * output + failed + filtered + skippedByLimit + skippedAsPublished, and unaccounted is 0.
   */
  ObjectNode inputs() {
    Manifest.InputFates f = counts.fates();
    ObjectNode n = Manifest.MAPPER.createObjectNode();
    n.put("records", inputRecords);
    n.put("output", f.outputs());
    n.put("failed", f.failed());
    n.put("filtered", f.filtered());
    n.put("skippedByLimit", skippedByLimit);
    n.put("skippedAsPublished", skippedAsPublished);
    n.put("otherInputDeadLetters", f.others());
    n.put(
        "unaccounted",
        inputRecords
            - f.outputs()
            - f.failed()
            - f.filtered()
            - skippedByLimit
            - skippedAsPublished);
    n.put(
        "countedAs",
        "per input line (file and line): output if any record came from it, else failed if any of "
            + "its dead letters is an error, else filtered when only the method's filters dropped it");
    return n;
  }

  /**
   * Every llm.* counter, in a fixed order, under its name without the prefix; the pipeline's own
   * beside them.
   */
  void counters(ObjectNode manifest) {
    ObjectNode l = (ObjectNode) manifest.get("llm");
    for (String name : COUNTERS) {
      if (name.startsWith("llm.")) {
        l.put(name.substring(4), counters.get(name));
      }
    }
    Map<String, Long> own = new TreeMap<>(counters);
    COUNTERS.forEach(own::remove);
    manifest.set("counters", Manifest.MAPPER.valueToTree(own));
  }

  /**
   * The manifest's tail: timing, resources, files, effective options and how the night was made.
   */
  void tail(
      ObjectNode m,
      Map<String, String> templateHashes,
      Instant startedAt,
      double jobSeconds,
      ObjectNode config,
      Nightly nightly,
      long givenSeed) {
    Instant finishedAt = Instant.now();
    m.set("promptTemplates", Manifest.MAPPER.valueToTree(templateHashes));
    m.put("startedAt", startedAt.toString());
    m.put("finishedAt", finishedAt.toString());
    m.put("durationSeconds", (finishedAt.toEpochMilli() - startedAt.toEpochMilli()) / 1000.0);
    m.put("jobSeconds", Math.round(jobSeconds * 1000) / 1000.0);
    m.set("resources", JobMetrics.resources());
    m.set("files", Manifest.MAPPER.valueToTree(counts.files()));
    m.set("config", config);
    ObjectNode night = m.putObject("nightly");
    night.put("mode", nightly.mode());
    night.put("runDate", nightly.runDate());
    night.put("givenSeed", givenSeed);
    night.put("seed", options.getSeed());
    if (nightly.incremental()) {
      night.put("ledger", nightly.ledgerDir().toString());
    }
  }

  /** The one line a run ends with on stdout. */
  String summary(String pipeline, String manifest) {
    Manifest.InputFates f = counts.fates();
    return String.format(
        "rolesynth: %s finished: %d input records -> %d output, %d failed, %d filtered%s (%d %s "
            + "records, %d in all datasets); %d LLM requests (%d rate-limited, %d retries, %d answers from cache%s); %s",
        pipeline,
        inputRecords,
        f.outputs(),
        f.failed(),
        f.filtered(),
        skippedByLimit > 0 ? ", " + skippedByLimit + " skipped by --limit" : "",
        counts.records(primaryDataset),
        primaryDataset,
        counts.avroRecords(),
        counters.get("llm.requests"),
        counters.get("llm.rateLimited"),
        counters.get("llm.retries"),
        counters.get("llm.cacheHits"),
        counters.getOrDefault("llm.repeated", 0L) > 0
            ? ", " + counters.get("llm.repeated") + " paid again after a failure"
            : "",
        manifest);
  }
}
