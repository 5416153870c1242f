package dev.rolesynth.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.ConfigException;
import dev.rolesynth.llm.ApiKeys;
import dev.rolesynth.llm.LlmClients;
import dev.rolesynth.llm.LlmConfig;
import dev.rolesynth.options.Knobs;
import dev.rolesynth.options.RolesynthOptions;
import dev.rolesynth.pipeline.Folder;
import dev.rolesynth.pipeline.RolePipeline;
import dev.rolesynth.pipeline.RunInfo;
import dev.rolesynth.pool.PoolRecord;
import dev.rolesynth.pool.RecordMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;

/**
 * Parses and checks everything, runs one pipeline, publishes its output and writes the manifest.
 */
public final class Launcher {
  /** Every pipeline on the class path, by name: each registers itself with @AutoService. */
  static final Map<String, RolePipeline<?>> PIPELINES = registered();

  static final String REVIEW = "review";
  private final PrintStream out;
  private final PrintStream err;

  public Launcher(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @SuppressWarnings("rawtypes")
  private static Map<String, RolePipeline<?>> registered() {
    Map<String, RolePipeline<?>> out = new TreeMap<>();
    for (RolePipeline<?> p : ServiceLoader.load(RolePipeline.class)) {
      RolePipeline<?> before = out.put(p.name(), p);
      if (before != null) {
        throw new IllegalStateException(
            "two pipelines named '"
                + p.name()
                + "': "
                + before.getClass().getName()
                + " and "
                + p.getClass().getName());
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /** Runs the command line; returns the exit code. Configuration problems throw ConfigException. */
  public int run(String[] rawArgs) throws Exception {
    String[] args = CommandLine.withDefaultRunner(CommandLine.merge(rawArgs));
    Map<String, String> flags = CommandLine.parseFlags(args);
    String name = flags.getOrDefault("pipeline", "ditto");
    if (name.equals(REVIEW)) {
      return new ReviewLauncher(out, err).run(args, rawArgs, flags);
    }
    RolePipeline<?> pipeline = PIPELINES.get(name);
    if (pipeline == null) {
      throw new ConfigException(
          "unknown pipeline '"
              + name
              + "'; available: "
              + String.join(", ", PIPELINES.keySet())
              + ", and "
              + REVIEW
              + " (to review a finished run)");
    }
    if (flags.containsKey("help")) {
      out.println(
          "rolesynth pipelines: "
              + String.join(", ", PIPELINES.keySet())
              + "; and "
              + REVIEW
              + " (-Dpipeline=review --help). Options of "
              + name
              + ":");
      Help.print(out, name, pipeline.knobsType(), flags.get("help").equals("all"));
      return ExitCodes.OK;
    }
    RolesynthOptions options =
        OptionChecks.parse(
            Knobs.fold(args, name, pipeline.knobsType()), flags, RolesynthOptions.class);
    String runner = options.getRunner().getSimpleName();
    if (runner.equals("FlinkRunner") && FlinkRelaunch.needed()) {
      return FlinkRelaunch.run(Main.class.getName(), rawArgs, shortJob(pipeline, options));
    }
    if (runner.equals("FlinkRunner")) {
      FlinkSettings.apply(options, flags, SharedRateLimit.remoteFlink(options, runner));
    }
    return execute(pipeline, options, runner, flags.keySet());
  }

  /** Whether the options and a local input show a short job ({@link FlinkRelaunch#shortJob}). */
  public static boolean shortJob(RolePipeline<?> pipeline, RolesynthOptions options) {
    try {
      long records =
          ProgressLine.records(RunSettings.resolveInput(pipeline, options), options.getLimit());
      return FlinkRelaunch.shortJob(pipeline.expectedCallsPerRecord(options), records);
    } catch (IOException | RuntimeException e) {
      return false; // the run itself reports a bad input
    }
  }

  private <T extends PoolRecord> int execute(
      RolePipeline<T> pipeline, RolesynthOptions options, String runner, Set<String> given)
      throws Exception {
    Instant startedAt = Instant.now();
    // Everything below is checked before the first LLM call.
    ObjectStores.configure(options, given);
    RunPlan runPlan = RunPlan.of(pipeline, options, startedAt);
    Folder output = runPlan.output();
    ObjectStores.checkWritable("output", output);
    RolePipeline.Plan<T> plan = pipeline.plan(options);
    ObjectNode inputPrint = RerunCheck.fingerprint(options.getInput(), runPlan.input());
    if (RerunCheck.alreadyDone(
        output,
        options.getOverwrite(),
        () ->
            RerunCheck.asked(
                pipeline.name(),
                runPlan.version(),
                inputPrint,
                plan.templateHashes(),
                OptionChecks.effectiveConfig(options, pipeline, runner)),
        out,
        err)) {
      return ExitCodes.OK;
    }
    LlmConfig llm = runPlan.llm();
    if (llm.cached()) {
      ObjectStores.checkWritable("cacheDir", Folder.of(llm.cacheDir()));
    }
    String apiKey = ApiKeys.resolve(llm);
    if (!llm.simulated() && !llm.local()) {
      LlmClients.backend(llm);
      EndpointProbe.check(llm, apiKey);
    }
    if (llm.local() && runner.equals("DirectRunner")) {
      List<String> tuned = LocalModels.tuneDirectRunner(options, given);
      if (!tuned.isEmpty()) {
        err.println(
            "rolesynth: local engine on the DirectRunner: "
                + String.join(" ", tuned)
                + " (one bundle per LLM stage keeps the engine fed; idle runner threads would spin)");
      }
    }
    RecordMapper<T> mapper = pipeline.mapper(options);
    RunSettings.stageBundledJar(options, runner);
    try (SharedRateLimit budgets = SharedRateLimit.start(options, runner, llm, err)) {
      return run(pipeline, options, runner, plan, mapper, runPlan, inputPrint, budgets, startedAt);
    }
  }

  private <T extends PoolRecord> int run(
      RolePipeline<T> pipeline,
      RolesynthOptions options,
      String runner,
      RolePipeline.Plan<T> plan,
      RecordMapper<T> mapper,
      RunPlan runPlan,
      ObjectNode inputPrint,
      SharedRateLimit budgets,
      Instant startedAt)
      throws Exception {
    String version = runPlan.version();
    String input = runPlan.input();
    Folder output = runPlan.output();
    Nightly nightly = runPlan.nightly();
    LlmConfig llm = budgets.config();
    RunInfo run =
        new RunInfo(
            pipeline.name(),
            version,
            options.getRunId(),
            options.getSeed(),
            llm,
            llm.simulated() ? "sim" : llm.local() ? "llama.cpp" : "openai-compatible",
            plan.templateHashes(),
            options.getLlmGroups());

    // Left by runs that were killed; their paid calls are in the cache.
    Publisher.clearStaging(output);
    CacheUpkeep cache =
        new CacheUpkeep(
            llm,
            options.getCacheRetentionDays(),
            nightly.fresh() && llm.cached()
                ? llm.cacheDir().substring(0, llm.cacheDir().lastIndexOf('/'))
                : null);
    cache.beforeRun(err);
    Folder staging = output.child(".staging-" + options.getRunId());
    // A name the launcher can find its job by on a cluster (to cancel it on SIGTERM).
    options.setJobName(
        ("rolesynth-" + pipeline.name() + "-" + options.getRunId())
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9-]", "-"));
    if (llm.simulated()) {
      err.println(
          "rolesynth: NOTICE: --llmEndpoint=sim: answers come from the built-in simulator, not a model. "
              + "Records are marked simulated=true. Point --llmEndpoint at an OpenAI-compatible server for real data.");
    }
    err.printf(
        "rolesynth: running %s %s on %s (run %s), input %s, output %s%n",
        pipeline.name(), version, runner, options.getRunId(), input, output);
    long jobStart = System.nanoTime();
    String master =
        SharedRateLimit.remoteFlink(options, runner)
            ? options
                .as(org.apache.beam.runners.flink.FlinkPipelineOptions.class)
                .getFlinkMaster()
                .strip()
            : null;
    JobRetries retries =
        new JobRetries(
            master,
            options.getJobRetries(),
            Duration.ofSeconds(options.getJobRetryWaitSeconds()),
            err);
    PipelineResult result;
    String primary;
    int attempt = 1;
    Set<String> sentBefore = cache.sentFiles();
    while (true) {
      Pipeline p = Pipeline.create(options);
      primary = JobGraph.build(p, pipeline, options, plan, mapper, run, runPlan, staging);
      try (JobCanceller canceller = JobCanceller.watch(options.getJobName(), master, runner, err);
          ProgressLine progress =
              ProgressLine.start(pipeline, options, input, master != null, err)) {
        result = JobGraph.onLargeStack(p::run);
        if (result.waitUntilFinish() == PipelineResult.State.DONE) {
          progress.finished();
        }
        break;
      } catch (RuntimeException e) {
        retries.prepareRetry(
            JobFailures.explain(e, llm),
            attempt,
            options.as(org.apache.beam.runners.flink.FlinkPipelineOptions.class),
            cache.describeForResume());
        staging.deleteAll();
        attempt++;
      }
    }
    double jobSeconds = (System.nanoTime() - jobStart) / 1e9;
    if (result.getState() != PipelineResult.State.DONE) {
      throw new IllegalStateException("pipeline ended in state " + result.getState());
    }
    Map<String, Long> counters = new HashMap<>(JobMetrics.counters(result, RunReport.COUNTERS));
    long repeated =
        cache.repeatedSince(sentBefore); // every attempt's, not only the last one's counters
    if (repeated >= 0) {
      counters.put("llm.repeated", repeated);
    }

    if (options.getOverwrite() || Publisher.held(output) != Publisher.Held.NOTHING) {
      Publisher.clearPublished(output);
    }
    // the staged ledger lines stay behind: they join the ledger only if the run succeeds
    Publisher.publish(staging, output);
    RunReport report =
        new RunReport(options, counters, Manifest.count(output, poolFiles(input)), primary);
    ObjectNode m = report.manifest(run, runner, primary);
    if (!report.tooManyFailures) {
      cache.afterSuccess(options.getRunId());
    }
    cache.describe((ObjectNode) m.get("llm"));
    budgets.describe(
        (ObjectNode) m.get("llm"), options.getRateLimitWorkers(), JobMetrics.paces(result));
    ((ObjectNode) m.get("llm")).put("jobAttempts", attempt);

    report.counters(m);
    report.tail(
        m,
        plan.templateHashes(),
        startedAt,
        jobSeconds,
        OptionChecks.effectiveConfig(options, pipeline, runner),
        nightly,
        runPlan.givenSeed());
    m.set("input", inputPrint);
    Manifest.write(output, m);
    if (!report.tooManyFailures) {
      nightly.record(staging.child(".ledger"), options.getRunId(), err);
    }
    staging.deleteAll();

    out.println(report.summary(pipeline.name(), output.path(Manifest.FILE)));
    if (report.tooManyFailures) {
      err.println("rolesynth: " + report.statusReason());
      return ExitCodes.TOO_MANY_FAILURES;
    }
    return ExitCodes.OK;
  }

  /** The files the pool was read from, named as its records' origins name them. */
  private static Set<String> poolFiles(String input) throws IOException {
    Set<String> files = new HashSet<>();
    org.apache.beam.sdk.io.FileSystems.match(input)
        .metadata()
        .forEach(md -> files.add(md.resourceId().toString()));
    return files;
  }
}
