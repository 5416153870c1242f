package dev.rolesynth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.ConfigException;
import dev.rolesynth.pipeline.Folder;
import dev.rolesynth.pipeline.RolePipeline;
import dev.rolesynth.review.Review;
import dev.rolesynth.review.ReviewOptions;
import dev.rolesynth.review.SampleSpec;
import dev.rolesynth.review.Verdicts;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * {@code -Dpipeline=review}: checks the options and the run folder, then samples, judges and
 * copies.
 */
final class ReviewLauncher {
  private final PrintStream out;
  private final PrintStream err;

  ReviewLauncher(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  int run(String[] args, String[] rawArgs, Map<String, String> flags) throws Exception {
    PipelineOptionsFactory.register(ReviewOptions.class);
    if (flags.containsKey("help")) {
      Help.printTool(out, "review", ReviewOptions.class, flags.get("help").equals("all"));
      return ExitCodes.OK;
    }
    ReviewOptions options = OptionChecks.parse(args, flags, ReviewOptions.class);
    ObjectStores.configure(options, flags.keySet());
    String runner = options.getRunner().getSimpleName();
    if (runner.equals("FlinkRunner") && FlinkRelaunch.needed()) {
      return FlinkRelaunch.run(Main.class.getName(), rawArgs, false);
    }
    OptionChecks.skipFlinkCopies(options, flags);
    // Everything is checked before the first job starts.
    Review review = new Review(options, flags.containsKey("output"), out);
    SampleSpec spec = review.spec();
    var finished = Review.finishedRun(options.getInput());
    if (finished.failed()) {
      if (options.getApplyVerdicts()) {
        throw new ConfigException(
            finished.dir()
                + " holds a failed run ("
                + finished.manifest().path("statusReason").asText()
                + "): review it to see why, but it cannot be signed off with --applyVerdicts");
      }
      err.println(
          "rolesynth: WARNING: "
              + finished.dir()
              + " holds a FAILED run ("
              + finished.manifest().path("statusReason").asText()
              + "); reviewing it with its dead letters first");
    }
    if (options.getApplyVerdicts() && options.getVerdicts().isBlank()) {
      throw new ConfigException(
          "--applyVerdicts=true needs --verdicts=FILE (the verdicts.jsonl exported from the page)");
    }
    Verdicts verdicts =
        options.getVerdicts().isBlank() ? null : Verdicts.read(Path.of(options.getVerdicts()));
    if (verdicts != null && options.getApplyVerdicts()) {
      RolePipeline<?> pipeline =
          Launcher.PIPELINES.get(finished.manifest().path("pipeline").asText());
      if (pipeline == null) {
        throw new ConfigException(
            "the run in "
                + finished.dir()
                + " was made by an unknown pipeline '"
                + finished.manifest().path("pipeline").asText()
                + "'");
      }
    }
    err.println(
        "rolesynth: reviewing "
            + finished.dir()
            + " on "
            + runner
            + " (seed "
            + spec.seed()
            + ", "
            + spec.size()
            + (spec.perStratum() ? " per stratum" : " in all")
            + ")");
    long started = System.nanoTime();
    ObjectNode data = review.sample(finished, spec);
    recordJob(review.reviewDir(finished), runner, (System.nanoTime() - started) / 1e9);
    JsonNode summary = null;
    if (verdicts != null) {
      review.judge(finished, data, verdicts);
      summary = data.path("verdictsSummary");
    }
    String where = review.reviewDir(finished).toString();
    out.println(
        "rolesynth: review of "
            + data.path("sample").size()
            + " sampled records in "
            + where
            + "/index.html");
    if (summary != null) {
      JsonNode o = summary.path("overall");
      out.printf(
          "rolesynth: %d of %d judged records accepted (%.1f %%, Wilson 95 %% %.1f–%.1f %%); %s/verdicts-summary.json%n",
          o.path("accepted").asInt(),
          o.path("judged").asInt(),
          100 * o.path("rate").asDouble(),
          100 * o.path("low").asDouble(),
          100 * o.path("high").asDouble(),
          where);
    }
    if (verdicts != null && options.getApplyVerdicts()) {
      ObjectNode m =
          review.applyVerdicts(
              finished, verdicts, name -> Launcher.PIPELINES.get(name).renderings());
      out.println(
          "rolesynth: accepted-only copy with "
              + m.path("outputRecords").asLong()
              + " "
              + finished.manifest().path("primaryDataset").asText()
              + " records in "
              + where
              + "/accepted");
    }
    return ExitCodes.OK;
  }

  /**
   * What the sampling job took, in stats.json: for the review benchmark and for anyone sizing a
   * review.
   */
  private static void recordJob(Folder dir, String runner, double seconds) throws IOException {
    ObjectNode s = (ObjectNode) Manifest.MAPPER.readTree(dir.readString("stats.json"));
    long records = 0;
    for (JsonNode dataset : s.path("strata")) {
      for (JsonNode stratum : dataset) {
        records += stratum.path("records").asLong();
      }
    }
    s.putObject("job")
        .put("runner", runner)
        .put("seconds", seconds)
        .put("records", records)
        .put("recordsPerSecond", records / seconds)
        .set("resources", JobMetrics.resources());
    dir.writeString("stats.json", s.toPrettyString());
  }
}
