package dev.rolesynth.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.cli.LocalModels;
import dev.rolesynth.llm.CallOutcome;
import dev.rolesynth.llm.ChatMessage;
import dev.rolesynth.llm.ChatRequest;
import dev.rolesynth.llm.LlamaCppBackend;
import dev.rolesynth.llm.LlmConfig;
import dev.rolesynth.options.RolesynthOptions;
import dev.rolesynth.pipeline.CallLlm;
import dev.rolesynth.pipeline.LlmTask;
import dev.rolesynth.pool.Origin;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Tokens per second of a GGUF model through the pipeline (Create → CallLlm on the DirectRunner, set
 * up as the launcher sets it up for a local engine, with the client's retries, validation and
 * accounting around llama.cpp) against the same engine driven directly with the same prompts, model
 * and settings. Short rounds of one run each, in alternating order; the median of the rounds'
 * ratios is reported. {@code --against=engine} compares the engine with itself: the noise floor.
 * Numbers go in docs/BENCHMARKS.md.
 */
@Command(
    name = "gguf-bench",
    mixinStandardHelpOptions = true,
    description =
        "Compare pipeline throughput on a local GGUF model with the engine's raw throughput.")
public final class GgufBench implements Callable<Integer> {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Option(
      names = "--model",
      required = true,
      description = "GGUF file, e.g. a small model such as stories260K.gguf")
  Path model;

  @Option(names = "--calls", description = "Completions per run (default ${DEFAULT-VALUE})")
  int calls = 750;

  @Option(
      names = "--tokens",
      description = "Tokens to generate per completion (default ${DEFAULT-VALUE})")
  int tokens = 64;

  @Option(names = "--threads", description = "Engine threads (default ${DEFAULT-VALUE})")
  int threads = 1;

  @Option(
      names = "--parallel",
      description =
          "Engine parallel sequences, and calls in flight (default ${DEFAULT-VALUE}, "
              + "as --llamaParallel)")
  int parallel = 2;

  @Option(
      names = "--target-parallelism",
      description =
          "DirectRunner worker threads (default: as the launcher sets "
              + "them for a local engine)")
  int targetParallelism = 0;

  @Option(
      names = "--llm-groups",
      description =
          "Groups of the LLM stage (default: as the launcher sets them for a " + "local engine)")
  int llmGroups = 0;

  @Option(
      names = "--rounds",
      description =
          "Rounds of one run of each side, in alternating order; the median of the "
              + "rounds' ratios is reported (default ${DEFAULT-VALUE})")
  int rounds = 16;

  /** What the raw engine is compared with: the pipeline, or itself (the machine's noise floor). */
  enum Against {
    pipeline,
    engine
  }

  @Option(
      names = "--against",
      description =
          "pipeline, or engine to measure the engine against itself: the noise "
              + "floor of this machine (default ${DEFAULT-VALUE})")
  Against against = Against.pipeline;

  /** The bench's one stage: a free-text completion of a story opening. */
  static final class Complete extends LlmTask<String, String> {
    private final int tokens;

    Complete(int tokens) {
      this.tokens = tokens;
    }

    @Override
    public String stage() {
      return "bench";
    }

    @Override
    public String recordId(String prompt) {
      return prompt;
    }

    @Override
    public Origin origin(String prompt) {
      return new Origin("bench", 0);
    }

    @Override
    public ChatRequest request(String prompt) {
      return GgufBench.request(prompt, tokens);
    }

    @Override
    public List<String> parse(String prompt, CallOutcome outcome) {
      return List.of(outcome.content());
    }
  }

  static ChatRequest request(String prompt, int tokens) {
    return new ChatRequest(
        "bench", List.of(ChatMessage.user(prompt)), 0.8, tokens, prompt.hashCode(), null);
  }

  static List<String> prompts(int n) {
    String[] who = {
      "a small fox",
      "a brave girl",
      "an old cat",
      "a tiny bird",
      "a kind dog",
      "a shy frog",
      "a big bear"
    };
    String[] where = {
      "in the park", "by the sea", "under a tree", "at school", "in the garden", "on a boat"
    };
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          "Once upon a time, "
              + who[i % who.length]
              + " "
              + where[i % where.length]
              + " found toy number "
              + i
              + ".");
    }
    return out;
  }

  /**
   * Completion tokens produced, the wall-clock seconds they took, and the CPU seconds this process
   * spent.
   */
  record Run(long tokens, double seconds, double cpuSeconds) {
    double rate() {
      return tokens / seconds;
    }

    /**
     * CPU milliseconds per token, engine included: the sides' difference is the CPU the pipeline
     * adds.
     */
    double cpuMillisPerToken() {
      return cpuSeconds * 1000 / tokens;
    }
  }

  private static double cpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime()
        / 1e9;
  }

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(model)) {
      System.err.println("gguf-bench: no model at " + model.toAbsolutePath() + " (--model)");
      return 2;
    }
    Path abs = model.toAbsolutePath().normalize();
    RolesynthOptions options = options(abs);
    LlmConfig config =
        LocalModels.configure(
            LlmConfig.builder(LlmConfig.GGUF_PREFIX + abs, options.getLlmModel())
                .timeoutSeconds(120)
                .maxAttempts(3)
                .maxRepairs(0)
                .build(),
            options);
    List<Run> raw = new ArrayList<>();
    List<Run> other = new ArrayList<>();
    // Holding a backend keeps the model loaded: both sides use the one engine, loaded once.
    try (LlamaCppBackend engine = new LlamaCppBackend(config.localEngine())) {
      Callable<Run> rawSide = () -> raw(engine, prompts(calls));
      Callable<Run> otherSide =
          against == Against.engine ? rawSide : () -> pipeline(options, config, prompts(calls));
      // Both sides warmed up: the first job in a JVM also loads and compiles Beam (about a second
      // here),
      // a one-off cost per worker that says nothing of throughput.
      raw(engine, prompts(Math.min(50, calls)));
      pipeline(options, config, prompts(Math.min(50, calls)));
      for (int i = 0; i < rounds; i++) {
        // Short rounds in alternating order: this machine's speed drifts by tens of percent within
        // a
        // minute, and each round's two sides should see the same machine.
        Run r;
        Run o;
        if (i % 2 == 0) {
          r = rawSide.call();
          o = otherSide.call();
        } else {
          o = otherSide.call();
          r = rawSide.call();
        }
        raw.add(r);
        other.add(o);
        System.out.printf(
            "round %d: raw %.0f tokens/s (%.3f CPU ms/token), %s %.0f tokens/s (%.3f), ratio %.3f%n",
            i + 1,
            r.rate(),
            r.cpuMillisPerToken(),
            against,
            o.rate(),
            o.cpuMillisPerToken(),
            o.rate() / r.rate());
      }
    }
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      ratios.add(other.get(i).rate() / raw.get(i).rate());
    }
    ObjectNode report = MAPPER.createObjectNode();
    report.put("model", abs.getFileName().toString());
    report.put("against", against.name());
    report.put("callsPerRun", calls);
    report.put("tokensPerCall", tokens);
    report.put("threads", config.localEngine().threads());
    report.put("parallel", parallel);
    report.put("targetParallelism", options.as(DirectOptions.class).getTargetParallelism());
    report.put("llmGroups", options.getLlmGroups());
    report.put("rounds", rounds);
    report.put("rawTokensPerSecond", Math.round(median(raw.stream().map(Run::rate).toList())));
    report.put(
        against + "TokensPerSecond", Math.round(median(other.stream().map(Run::rate).toList())));
    report.put("shareOfRaw", round3(median(ratios)));
    report.put(
        "shareOfRawMin", round3(ratios.stream().mapToDouble(Double::doubleValue).min().orElse(0)));
    report.put(
        "shareOfRawMax", round3(ratios.stream().mapToDouble(Double::doubleValue).max().orElse(0)));
    report.put("shareOfRawPooled", round3(pooled(other) / pooled(raw)));
    double rawCpu = median(raw.stream().map(Run::cpuMillisPerToken).toList());
    double otherCpu = median(other.stream().map(Run::cpuMillisPerToken).toList());
    report.put("rawCpuMillisPerToken", round3(rawCpu));
    report.put(against + "CpuMillisPerToken", round3(otherCpu));
    report.put("extraCpuShare", round3(otherCpu / rawCpu - 1));
    System.out.println(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report));
    return 0;
  }

  /** All tokens over all seconds. */
  private static double pooled(List<Run> runs) {
    return runs.stream().mapToLong(Run::tokens).sum()
        / runs.stream().mapToDouble(Run::seconds).sum();
  }

  /** Pipeline options as the launcher would settle them for this model on the DirectRunner. */
  private RolesynthOptions options(Path abs) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--runner=DirectRunner",
                "--llmEndpoint=" + LlmConfig.GGUF_PREFIX + abs,
                "--llamaContextSize=512",
                "--llamaThreads=" + threads,
                "--llamaParallel=" + parallel));
    Set<String> given = new HashSet<>();
    if (targetParallelism > 0) {
      args.add("--targetParallelism=" + targetParallelism);
      given.add("targetParallelism");
    }
    if (llmGroups > 0) {
      args.add("--llmGroups=" + llmGroups);
      given.add("llmGroups");
    }
    RolesynthOptions o =
        PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).as(RolesynthOptions.class);
    LocalModels.tuneDirectRunner(o, given);
    return o;
  }

  /**
   * The engine alone: the same prompts, formatted the same way, as many in flight as the pipeline
   * hands it.
   */
  private Run raw(LlamaCppBackend engine, List<String> prompts) throws Exception {
    List<ChatRequest> requests = new ArrayList<>();
    List<String> formatted = new ArrayList<>();
    for (String prompt : prompts) {
      ChatRequest r = request(prompt, tokens);
      requests.add(r);
      formatted.add(engine.format(r.messages()));
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(2 * parallel); // the engine always has the next one queued
    double cpu = cpuSeconds();
    long start = System.nanoTime();
    List<Future<String>> texts = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      int k = i;
      texts.add(pool.submit(() -> engine.completeRaw(requests.get(k), formatted.get(k))));
    }
    List<String> done = new ArrayList<>();
    for (Future<String> t : texts) {
      done.add(t.get());
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    cpu = cpuSeconds() - cpu;
    pool.shutdown();
    long total = 0;
    for (String t : done) {
      total += t.isEmpty() ? 0 : engine.countTokens(t);
    }
    return new Run(total, seconds, cpu);
  }

  /**
   * The whole pipeline, from run() to the end of the job, counting the tokens its metrics report.
   */
  private Run pipeline(RolesynthOptions options, LlmConfig config, List<String> prompts) {
    Pipeline p = Pipeline.create(options);
    p.apply(Create.of(prompts).withCoder(StringUtf8Coder.of()))
        .apply(
            CallLlm.of(new Complete(tokens), config, StringUtf8Coder.of(), options.getLlmGroups()));
    double cpu = cpuSeconds();
    long start = System.nanoTime();
    PipelineResult result = p.run();
    result.waitUntilFinish();
    double seconds = (System.nanoTime() - start) / 1e9;
    cpu = cpuSeconds() - cpu;
    long total = 0;
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(CallLlm.METRICS, "llm.completionTokens"))
                    .build())
            .getCounters()) {
      total += c.getAttempted();
    }
    return new Run(total, seconds, cpu);
  }

  private static double round3(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  private static double median(List<Double> values) {
    List<Double> s = new ArrayList<>(values);
    s.sort(null);
    return s.get(s.size() / 2);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new GgufBench()).execute(args));
  }
}
