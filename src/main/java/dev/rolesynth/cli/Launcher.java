package dev.rolesynth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rolesynth.ConfigException;
import dev.rolesynth.beyond.BeyondDialoguePipeline;
import dev.rolesynth.ditto.DittoPipeline;
import dev.rolesynth.lima.LimaRolePipeline;
import dev.rolesynth.orca.OrcaPipeline;
import dev.rolesynth.llm.ApiKeys;
import dev.rolesynth.llm.LlmClients;
import dev.rolesynth.llm.LlmConfig;
import dev.rolesynth.options.RolesynthOptions;
import dev.rolesynth.pipeline.CallLlm;
import dev.rolesynth.pipeline.ReadPool;
import dev.rolesynth.pipeline.Ledger;
import dev.rolesynth.pipeline.Failure;
import dev.rolesynth.pipeline.RolePipeline;
import dev.rolesynth.pipeline.RunInfo;
import dev.rolesynth.pipeline.WriteOutputs;
import dev.rolesynth.pool.PoolRecord;
import dev.rolesynth.pool.RecordMapper;
import dev.rolesynth.prompt.Resources;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.io.TextIO;

/** Parses and checks everything, runs one pipeline, publishes its output and writes the manifest. */
public final class Launcher {
  static final Map<String, RolePipeline<?>> PIPELINES =
      new TreeMap<>(Map.of("ditto", new DittoPipeline(), "beyond-dialogue", new BeyondDialoguePipeline(), "orca",
          new OrcaPipeline(), "lima-role", new LimaRolePipeline()));
  private static final List<String> COUNTERS =
      List.of("input.records", "input.kept", "input.truncatedRecords", "llm.calls", "llm.requests", "llm.rateLimited",
          "llm.retries", "llm.repairs", "llm.cacheHits", "llm.failedCalls", "llm.promptTokens", "llm.completionTokens",
          "llm.throttledMillis");

  private final PrintStream out;
  private final PrintStream err;

  public Launcher(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** Runs the command line; returns the exit code. Configuration problems throw ConfigException. */
  public int run(String[] rawArgs) throws Exception {
    String[] args = CommandLine.withDefaultRunner(CommandLine.merge(rawArgs));
    Map<String, String> flags = CommandLine.parseFlags(args);
    String name = flags.getOrDefault("pipeline", "ditto");
    RolePipeline<?> pipeline = PIPELINES.get(name);
    if (pipeline == null) {
      throw new ConfigException("unknown pipeline '" + name + "'; available: " + String.join(", ", PIPELINES.keySet()));
    }
    PIPELINES.values().forEach(p -> PipelineOptionsFactory.register(p.optionsType()));
    if (flags.containsKey("help")) {
      PipelineOptionsFactory.printHelp(out, pipeline.optionsType());
      return ExitCodes.OK;
    }
    checkTypes(flags, pipeline.optionsType());
    RolesynthOptions options;
    try {
      options = PipelineOptionsFactory.fromArgs(without(args, "help")).withValidation().as(pipeline.optionsType());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(firstLine(e.getMessage()));
    }
    String runner = options.getRunner().getSimpleName();
    if (runner.equals("FlinkRunner") && FlinkRelaunch.needed()) {
      return FlinkRelaunch.run(Main.class.getName(), rawArgs);
    }
    if (runner.equals("FlinkRunner") && !flags.containsKey("fasterCopy")) {
      // Elements are never changed after they are emitted, so chained operators need not copy them.
      options.as(org.apache.beam.runners.flink.FlinkPipelineOptions.class).setFasterCopy(true);
    }
    if (SharedRateLimit.remoteFlink(options, runner) && !flags.containsKey("executionModeForBatch")) {
      // Pipelined batch plans deploy every stage at once; the longer pipelines then need more network
      // buffers than a modest TaskManager has. Blocking exchanges schedule stage by stage instead.
      options.as(org.apache.beam.runners.flink.FlinkPipelineOptions.class).setExecutionModeForBatch("BATCH_FORCED");
    }
    return execute(pipeline, options, runner, flags.keySet());
  }

  private <T extends PoolRecord> int execute(RolePipeline<T> pipeline, RolesynthOptions options, String runner,
      Set<String> given) throws Exception {
    Instant startedAt = Instant.now();
    if (options.getRunId().isBlank()) {
      options.setRunId(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(startedAt)
          + "-" + UUID.randomUUID().toString().substring(0, 8));
    }
    String runDate = runDate(options);
    Path output = Path.of(placeholders(options.getOutput(), pipeline.name(), runDate)).toAbsolutePath().normalize();
    Publisher.Held held = Publisher.held(output);
    if (held == Publisher.Held.SUCCEEDED && !options.getOverwrite()) {
      out.println("rolesynth: " + output + " already holds a finished run (" + Manifest.FILE
          + " says succeeded); nothing to do. Pass --overwrite=true to replace it.");
      return ExitCodes.OK;
    }
    if (held == Publisher.Held.FAILED || held == Publisher.Held.PARTIAL) {
      err.println("rolesynth: " + output + " holds a " + (held == Publisher.Held.FAILED ? "failed" : "partly published")
          + " run: running again (answers already paid for come from the cache) and replacing it");
    }
    // Everything below is checked before the first LLM call.
    checkRanges(options);
    Nightly nightly = Nightly.of(options.getNightly(), runDate, options.getLedgerDir(), output, pipeline.name());
    long givenSeed = options.getSeed();
    options.setSeed(nightly.seed(givenSeed));
    options.setInput(placeholders(options.getInput(), pipeline.name(), runDate));
    String input = resolveInput(pipeline, options);
    LlmConfig llm = llmConfig(options, output, pipeline.name(), runDate, nightly);
    String apiKey = ApiKeys.resolve(llm);
    if (!llm.simulated() && !llm.local()) {
      LlmClients.backend(llm);
      EndpointProbe.check(llm, apiKey);
    }
    if (llm.local() && runner.equals("DirectRunner")) {
      List<String> tuned = LocalModels.tuneDirectRunner(options, given);
      if (!tuned.isEmpty()) {
        err.println("rolesynth: local engine on the DirectRunner: " + String.join(" ", tuned)
            + " (one bundle per LLM stage keeps the engine fed; idle runner threads would spin)");
      }
    }
    RolePipeline.Plan<T> plan = pipeline.plan(options);
    RecordMapper<T> mapper = pipeline.mapper(options);
    String version = pipelineVersion(pipeline.name());
    stageBundledJar(options, runner);
    try (SharedRateLimit budgets = SharedRateLimit.start(options, runner, llm, err)) {
      return run(pipeline, options, runner, plan, mapper, version, input, output, budgets, startedAt, nightly, givenSeed);
    }
  }

  private <T extends PoolRecord> int run(RolePipeline<T> pipeline, RolesynthOptions options, String runner,
      RolePipeline.Plan<T> plan, RecordMapper<T> mapper, String version, String input, Path output, SharedRateLimit budgets,
      Instant startedAt, Nightly nightly, long givenSeed) throws Exception {
    LlmConfig llm = budgets.config();
    RunInfo run = new RunInfo(pipeline.name(), version, options.getRunId(), options.getSeed(), llm,
        llm.simulated() ? "sim" : llm.local() ? "llama.cpp" : "openai-compatible", plan.templateHashes(),
        options.getLlmGroups());

    Publisher.clearStaging(output); // left by runs that were killed; their paid calls are in the cache
    CacheUpkeep cache = new CacheUpkeep(llm, options.getCacheRetentionDays(), nightly.fresh() && llm.cached()
        ? llm.cacheDir().substring(0, llm.cacheDir().lastIndexOf('/')) : null);
    cache.beforeRun(err);
    Path staging = output.resolve(".staging-" + options.getRunId());
    Files.createDirectories(staging);
    // A name the launcher can find its job by on a cluster (to cancel it on SIGTERM).
    options.setJobName(("rolesynth-" + pipeline.name() + "-" + options.getRunId()).toLowerCase(java.util.Locale.ROOT)
        .replaceAll("[^a-z0-9-]", "-"));
    Pipeline p = Pipeline.create(options);
    ReadPool<T> read = ReadPool.from(input, options.getInputFormat(), mapper, options.getLimit())
        .withMaxRecordBytes(options.getMaxRecordBytes());
    var records = p.apply("ReadPool", nightly.incremental() ? read.withoutPublished(nightly.ledgerGlob()) : read);
    RolePipeline.Outputs outputs = plan.build(records.output(), run);
    WriteOutputs.write(outputs, records.failures(), staging.toString());
    Path pendingLedger = output.resolve(".ledger-" + options.getRunId());
    if (nightly.incremental()) {
      PCollection<Failure> all = PCollectionList.of(outputs.failures()).and(records.failures())
          .apply("FailuresForLedger", Flatten.pCollections());
      Ledger.lines(records.output(), all).apply("WriteLedger",
          TextIO.write().to(staging.resolve(".ledger").resolve("lines").toString()).withSuffix(".jsonl"));
    }

    if (llm.simulated()) {
      err.println("rolesynth: NOTICE: --llmEndpoint=sim: answers come from the built-in simulator, not a model. "
          + "Records are marked simulated=true. Point --llmEndpoint at an OpenAI-compatible server for real data.");
    }
    err.println("rolesynth: running " + pipeline.name() + " " + version + " on " + runner + " (run " + options.getRunId()
        + "), input " + input + ", output " + output);
    long jobStart = System.nanoTime();
    PipelineResult result;
    String master = SharedRateLimit.remoteFlink(options, runner)
        ? options.as(org.apache.beam.runners.flink.FlinkPipelineOptions.class).getFlinkMaster().strip() : null;
    try (JobCanceller canceller = JobCanceller.watch(options.getJobName(), master, runner, err)) {
      result = p.run();
      result.waitUntilFinish();
    } catch (RuntimeException e) {
      throw JobFailures.explain(e, llm);
    }
    double jobSeconds = (System.nanoTime() - jobStart) / 1e9;
    if (result.getState() != PipelineResult.State.DONE) {
      throw new IllegalStateException("pipeline ended in state " + result.getState());
    }
    Map<String, Long> counters = JobMetrics.counters(result, COUNTERS);

    if (options.getOverwrite() || Publisher.held(output) != Publisher.Held.NOTHING) {
      Publisher.clearPublished(output);
    }
    if (Files.isDirectory(staging.resolve(".ledger"))) {
      Files.move(staging.resolve(".ledger"), pendingLedger); // joins the ledger only if the run succeeds
    }
    Publisher.publish(staging, output);
    Manifest.Counts counts = Manifest.count(output);
    Instant finishedAt = Instant.now();
    long inputRecords = counters.get("input.records");
    long readFailures = counts.failuresByStage().getOrDefault(ReadPool.STAGE, 0L);
    long published = counters.getOrDefault(Ledger.SKIPPED, 0L);
    long skipped = options.getLimit() > 0
        ? Math.max(0, inputRecords - counters.get("input.kept") - readFailures - published) : 0;
    // Measured on the primary dataset's units (a dialogue, a post, an item), which failures also count.
    long primary = counts.records(outputs.datasets().get(0).name());
    // Filter decisions (judges, coherence, conflict) are the method working, not failing.
    long errors = counts.failures() - counts.filtered();
    double failureRatio = primary + counts.failures() == 0 ? 0 : (double) errors / (primary + counts.failures());
    boolean tooManyFailures = failureRatio > options.getMaxFailureRatio();

    ObjectNode m = Manifest.MAPPER.createObjectNode();
    m.put("pipeline", pipeline.name());
    m.put("pipelineVersion", version);
    m.put("runner", runner);
    m.put("runId", options.getRunId());
    m.put("status", tooManyFailures ? "failed" : "succeeded");
    if (tooManyFailures) {
      m.put("statusReason", String.format("%.1f%% of records failed, above --maxFailureRatio=%s", 100 * failureRatio,
          options.getMaxFailureRatio()));
    }
    m.put("inputRecords", inputRecords);
    m.put("skippedByLimit", skipped);
    m.put("skippedAsPublished", published);
    if (options.getLimit() > 0) {
      m.put("countedAs", "--limit=" + options.getLimit() + ": the first " + options.getLimit() + " usable records in "
          + "file order (files by name, then line) and the unusable lines among the lines read to find them; the "
          + skipped + " records after them (" + counters.getOrDefault("input.failuresAfterLimit", 0L) + " of them "
          + "unusable or repeated) are skippedByLimit and do not count towards --maxFailureRatio");
    }
    m.put("outputRecords", counts.avroRecords());
    m.put("primaryDataset", outputs.datasets().get(0).name());
    m.set("datasets", Manifest.MAPPER.valueToTree(counts.datasets()));
    m.put("jsonlRecords", counts.jsonlRecords());
    m.put("failedRecords", counts.failures());
    m.put("filteredRecords", counts.filtered());
    m.set("failuresByReason", Manifest.MAPPER.valueToTree(counts.failuresByReason()));
    m.set("failuresByStage", Manifest.MAPPER.valueToTree(counts.failuresByStage()));
    m.put("truncatedRecords", counters.get("input.truncatedRecords"));
    ObjectNode l = m.putObject("llm");
    l.put("endpoint", Manifest.redactUrl(llm.endpoint()));
    l.put("endpointKind", run.endpointKind());
    l.put("model", llm.model());
    l.put("simulated", llm.simulated());
    l.put("cacheDir", llm.cached() ? llm.cacheDir() : "");
    if (!tooManyFailures) {
      cache.afterSuccess(options.getRunId());
    }
    cache.describe(l);
    budgets.describe(l, options.getRateLimitWorkers(), JobMetrics.paces(result));
    // Every llm.* counter, in a fixed order, under its name without the prefix.
    for (String name : COUNTERS) {
      if (name.startsWith("llm.")) {
        l.put(name.substring(4), counters.get(name));
      }
    }
    // The pipeline's own counters (chunks made, posts filtered, ...), beside the shared ones above.
    Map<String, Long> own = new TreeMap<>(counters);
    COUNTERS.forEach(own::remove);
    m.set("counters", Manifest.MAPPER.valueToTree(own));
    m.set("promptTemplates", Manifest.MAPPER.valueToTree(plan.templateHashes()));
    m.put("startedAt", startedAt.toString());
    m.put("finishedAt", finishedAt.toString());
    m.put("durationSeconds", (finishedAt.toEpochMilli() - startedAt.toEpochMilli()) / 1000.0);
    m.put("jobSeconds", Math.round(jobSeconds * 1000) / 1000.0);
    m.set("resources", JobMetrics.resources());
    m.set("files", Manifest.MAPPER.valueToTree(counts.files()));
    m.set("config", effectiveConfig(options, pipeline.optionsType(), runner));
    ObjectNode night = m.putObject("nightly");
    night.put("mode", nightly.mode());
    night.put("runDate", nightly.runDate());
    night.put("givenSeed", givenSeed);
    night.put("seed", options.getSeed());
    if (nightly.incremental()) {
      night.put("ledger", nightly.ledgerDir().toString());
    }
    Manifest.write(output, m);
    if (!tooManyFailures) {
      nightly.record(pendingLedger, options.getRunId(), err);
    }
    Publisher.deleteTree(pendingLedger);

    out.printf("rolesynth: %s finished: %d input records -> %d output, %d failed%s; %d LLM requests (%d rate-limited, %d retries, %d answers from cache); %s%n",
        pipeline.name(), inputRecords, counts.avroRecords(), counts.failures(),
        skipped > 0 ? ", " + skipped + " skipped by --limit" : "",
        counters.get("llm.requests"), counters.get("llm.rateLimited"), counters.get("llm.retries"),
        counters.get("llm.cacheHits"), output.resolve(Manifest.FILE));
    if (tooManyFailures) {
      err.println("rolesynth: " + m.get("statusReason").asText());
      return ExitCodes.TOO_MANY_FAILURES;
    }
    return ExitCodes.OK;
  }

  static LlmConfig llmConfig(RolesynthOptions o, Path output, String pipeline, String runDate, Nightly nightly) {
    LlmConfig remote = httpOrSimConfig(o, output, pipeline, runDate, nightly);
    return remote.local() ? LocalModels.configure(remote, o) : remote;
  }

  private static LlmConfig httpOrSimConfig(RolesynthOptions o, Path output, String pipeline, String runDate,
      Nightly nightly) {
    // A shared service divides nothing: the divisor only applies to per-JVM budgets.
    int workers = o.getRateLimitService().strip().equals("off") ? o.getRateLimitWorkers() : 1;
    return LlmConfig.builder(o.getLlmEndpoint().strip(), o.getLlmModel())
        .apiKeyEnv(o.getLlmApiKeyEnv())
        .apiKeyFile(o.getLlmApiKeyFile())
        .maxRequestsPerMinute(o.getMaxRequestsPerMinute() / workers)
        .maxTokensPerMinute(o.getMaxTokensPerMinute() / workers)
        .maxConcurrentRequests(o.getMaxConcurrentRequests())
        .timeoutSeconds(o.getLlmTimeoutSeconds())
        .maxAttempts(o.getLlmMaxAttempts())
        .rateLimitPatienceMinutes(o.getLlmRateLimitPatienceMinutes())
        .maxRepairs(o.getLlmMaxRepairs())
        .cacheDir(nightly.cacheDir(cacheDir(o, output, pipeline, runDate)))
        .tokenAccounting(tokenAccounting(o.getTokenAccounting()))
        .stageMaxTokens(stageMaxTokens(o.getLlmMaxTokens()))
        .build();
  }

  static LlmConfig.TokenAccounting tokenAccounting(String value) {
    return switch (value.strip()) {
      case "max_tokens" -> LlmConfig.TokenAccounting.MAX_TOKENS;
      case "usage" -> LlmConfig.TokenAccounting.USAGE;
      default -> throw new ConfigException("--tokenAccounting must be max_tokens or usage, got '" + value + "'");
    };
  }

  /** {@code answer=400,queries=1200} → stage ceilings, each a whole number of at least 16. */
  static Map<String, Integer> stageMaxTokens(String value) {
    Map<String, Integer> out = new TreeMap<>();
    for (String pair : value.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      String[] kv = pair.split("=", 2);
      int n;
      try {
        n = kv.length == 2 ? Integer.parseInt(kv[1].strip()) : -1;
      } catch (NumberFormatException e) {
        n = -1;
      }
      if (kv[0].isBlank() || n < 16) {
        throw new ConfigException("--llmMaxTokens takes stage=N pairs with N at least 16, got '" + pair.strip() + "'");
      }
      out.put(kv[0].strip(), n);
    }
    return out;
  }

  /** {runDate}: --runDate, checked, or today in UTC; written back so the manifest shows it. */
  static String runDate(RolesynthOptions o) {
    String d = o.getRunDate().strip();
    if (d.isEmpty()) {
      d = java.time.LocalDate.now(ZoneOffset.UTC).toString();
    } else {
      try {
        d = java.time.LocalDate.parse(d).toString();
      } catch (java.time.format.DateTimeParseException e) {
        throw new ConfigException("--runDate must be a date like 2026-11-26, got '" + d + "'");
      }
    }
    o.setRunDate(d);
    return d;
  }

  static String placeholders(String template, String pipeline, String runDate) {
    return template.replace("{pipeline}", pipeline).replace("{runDate}", runDate);
  }

  /**
   * Submitting from the bundled jar to a cluster: the jar is what the TaskManagers need, so it is
   * staged unless --filesToStage says otherwise (Beam would otherwise stage the class path, which
   * under java -jar is that same jar, but only if it can find it).
   */
  private static void stageBundledJar(RolesynthOptions options, String runner) {
    if (!SharedRateLimit.remoteFlink(options, runner)) {
      return;
    }
    var flink = options.as(org.apache.beam.runners.flink.FlinkPipelineOptions.class);
    if (flink.getFilesToStage() != null && !flink.getFilesToStage().isEmpty()) {
      return;
    }
    try {
      Path self = Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isRegularFile(self) && self.toString().endsWith(".jar")) {
        flink.setFilesToStage(List.of(self.toAbsolutePath().toString()));
      }
    } catch (java.net.URISyntaxException | SecurityException e) {
      // leave staging to Beam's class-path detection
    }
  }

  /** The cache folder: beside the output by default, so reruns and later runs onto new folders share it. */
  static String cacheDir(RolesynthOptions o, Path output, String pipeline, String runDate) {
    String dir = placeholders(o.getCacheDir().strip(), pipeline, runDate);
    if (dir.equals("off")) {
      return "";
    }
    if (dir.isEmpty()) {
      Path parent = output.getParent() == null ? output : output.getParent();
      return parent.resolve(".rolesynth-cache").toString();
    }
    return dir;
  }

  private static void checkRanges(RolesynthOptions o) {
    require(o.getLimit() >= 0, "--limit must be 0 (all) or positive, got " + o.getLimit());
    require(o.getMaxRequestsPerMinute() >= 0, "--maxRequestsPerMinute must be 0 (unlimited) or positive");
    require(o.getMaxTokensPerMinute() >= 0, "--maxTokensPerMinute must be 0 (unlimited) or positive");
    require(o.getMaxConcurrentRequests() >= 0, "--maxConcurrentRequests must be 0 (unlimited) or positive");
    require(o.getRateLimitWorkers() >= 1, "--rateLimitWorkers must be at least 1");
    require(o.getLlmTimeoutSeconds() >= 1, "--llmTimeoutSeconds must be at least 1");
    require(o.getLlmMaxAttempts() >= 1, "--llmMaxAttempts must be at least 1");
    require(o.getLlmMaxRepairs() >= 0, "--llmMaxRepairs must be 0 or more");
    require(o.getLlmRateLimitPatienceMinutes() > 0 && o.getLlmRateLimitPatienceMinutes() <= 24 * 60,
        "--llmRateLimitPatienceMinutes must be more than 0 and at most 1440");
    require(o.getLlmGroups() >= 1, "--llmGroups must be at least 1");
    require(o.getCacheRetentionDays() >= 0, "--cacheRetentionDays must be 0 (keep forever) or more");
    require(o.getMaxFieldChars() >= 100, "--maxFieldChars must be at least 100");
    require(o.getMaxRecordBytes() >= 1024, "--maxRecordBytes must be at least 1024");
    require(o.getMaxFailureRatio() >= 0 && o.getMaxFailureRatio() <= 1, "--maxFailureRatio must be between 0 and 1");
    require(!o.getLlmEndpoint().isBlank(), "--llmEndpoint must be 'sim', a base URL or gguf:PATH");
    require(!o.getLlmModel().isBlank(), "--llmModel must not be empty");
    require(Set.of("auto", "jsonl", "json", "csv").contains(o.getInputFormat()), "--inputFormat must be auto, jsonl, json or csv");
  }

  /** The option a getter of an options interface stands for ({@code getMaxFieldChars} → maxFieldChars), or null. */
  private static String optionName(Method m) {
    String n = m.getName();
    if (m.getParameterCount() != 0 || !n.startsWith("get") || n.length() < 4) {
      return null;
    }
    return Character.toLowerCase(n.charAt(3)) + n.substring(4);
  }

  /** Beam's own message for "--limit=abc" does not name the option; this one does. */
  private static void checkTypes(Map<String, String> flags, Class<?> type) {
    for (Method m : type.getMethods()) {
      String key = optionName(m);
      if (key == null) {
        continue;
      }
      String value = flags.get(key);
      if (value == null) {
        continue;
      }
      Class<?> t = m.getReturnType();
      try {
        if (t == int.class || t == Integer.class) {
          Integer.parseInt(value.trim());
        } else if (t == long.class || t == Long.class) {
          Long.parseLong(value.trim());
        } else if (t == double.class || t == Double.class) {
          Double.parseDouble(value.trim());
        } else if ((t == boolean.class || t == Boolean.class) && !value.trim().matches("(?i)true|false")) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        throw new ConfigException("--" + key + " must be " + (t == boolean.class || t == Boolean.class ? "true or false"
            : t == double.class || t == Double.class ? "a number" : "a whole number") + ", got '" + value + "'");
      }
    }
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new ConfigException(message);
    }
  }

  /** The --input pattern, checked to match at least one file; the sample pool when none is given. */
  private static String resolveInput(RolePipeline pipeline, RolesynthOptions options) throws IOException {
    String input = options.getInput();
    if (input.isBlank()) {
      Path local = Path.of(pipeline.samplePool());
      if (Files.isRegularFile(local)) {
        return local.toAbsolutePath().toString();
      }
      // Outside a checkout (java -jar), the sample pool comes out of the jar.
      Path tmp = Files.createTempFile("rolesynth-" + pipeline.name() + "-sample", ".jsonl");
      tmp.toFile().deleteOnExit();
      try (InputStream in = Launcher.class.getClassLoader().getResourceAsStream(pipeline.samplePool())) {
        if (in == null) {
          throw new ConfigException("the sample pool " + pipeline.samplePool() + " is missing from the classpath");
        }
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      }
      return tmp.toString();
    }
    MatchResult match = FileSystems.match(input);
    if (match.status() != MatchResult.Status.OK || match.metadata().isEmpty()) {
      throw new ConfigException("--input " + input + " matches no file");
    }
    long bytes = match.metadata().stream().mapToLong(MatchResult.Metadata::sizeBytes).sum();
    if (bytes == 0) {
      throw new ConfigException("--input " + input + " matches only empty files: there are no records to process");
    }
    return input;
  }

  static String pipelineVersion(String pipeline) {
    try {
      JsonNode spec = new ObjectMapper(new YAMLFactory()).readTree(Resources.text("pipelines/" + pipeline + "/pipeline.yaml"));
      return spec.path("version").asText("0");
    } catch (IOException e) {
      throw new ConfigException("pipelines/" + pipeline + "/pipeline.yaml is not valid YAML");
    }
  }

  /** Every option of the pipeline with its effective value (defaults included; no secrets exist in options). */
  private static ObjectNode effectiveConfig(RolesynthOptions options, Class<? extends RolesynthOptions> type, String runner) {
    Map<String, Object> values = new TreeMap<>();
    for (Method m : type.getMethods()) {
      Class<?> owner = m.getDeclaringClass();
      String key = optionName(m);
      if (key != null && (owner == RolesynthOptions.class || owner == type)) {
        try {
          Object v = m.invoke(options);
          values.put(key, key.equals("llmEndpoint") ? Manifest.redactUrl(String.valueOf(v)) : v);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    values.put("runner", runner);
    if (runner.equals("DirectRunner")) {
      values.put("targetParallelism", options.as(org.apache.beam.runners.direct.DirectOptions.class).getTargetParallelism());
    }
    if (runner.equals("FlinkRunner")) {
      var flink = options.as(org.apache.beam.runners.flink.FlinkPipelineOptions.class);
      values.put("flinkMaster", flink.getFlinkMaster());
      values.put("parallelism", flink.getParallelism());
      values.put("executionModeForBatch", flink.getExecutionModeForBatch());
    }
    return Manifest.MAPPER.valueToTree(values);
  }

  private static String[] without(String[] args, String key) {
    return java.util.Arrays.stream(args).filter(a -> !a.equals("--" + key) && !a.startsWith("--" + key + "=")).toArray(String[]::new);
  }

  private static String firstLine(String s) {
    return s == null ? "invalid options" : s.split("\n")[0];
  }

  /** One line for an unexpected error, following causes to the first message. */
  static String describe(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && (t.getMessage() == null || t instanceof java.lang.reflect.InvocationTargetException
        || t.getClass().getName().contains("PipelineExecutionException"))) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + firstLine(t.getMessage());
  }
}
