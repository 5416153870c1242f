package dev.rolesynth.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.llm.CallOutcome;
import dev.rolesynth.llm.ChatMessage;
import dev.rolesynth.llm.ChatRequest;
import dev.rolesynth.llm.LlamaCppBackend;
import dev.rolesynth.llm.LlmConfig;
import dev.rolesynth.pipeline.CallLlm;
import dev.rolesynth.pipeline.LlmTask;
import dev.rolesynth.pool.Origin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * Tokens per second of a GGUF model through the pipeline (Create → CallLlm on the DirectRunner, with
 * the client's retries, validation and accounting around llama.cpp) against the same engine driven
 * directly with the same prompts, model and settings. Medians over repetitions; numbers go in
 * docs/BENCHMARKS.md.
 */
@Command(name = "gguf-bench", mixinStandardHelpOptions = true,
    description = "Compare pipeline throughput on a local GGUF model with the engine's raw throughput.")
public final class GgufBench implements Callable<Integer> {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Option(names = "--model", description = "GGUF file (default ${DEFAULT-VALUE})")
  Path model = Path.of("..", "shared", "models", "stories260K.gguf");

  @Option(names = "--calls", description = "Completions per measurement (default ${DEFAULT-VALUE})")
  int calls = 1500;

  @Option(names = "--tokens", description = "Tokens to generate per completion (default ${DEFAULT-VALUE})")
  int tokens = 64;

  @Option(names = "--threads", description = "Engine threads (default ${DEFAULT-VALUE})")
  int threads = 1;

  @Option(names = "--parallel", description = "Engine parallel sequences, and calls in flight (default ${DEFAULT-VALUE}, "
      + "as --llamaParallel)")
  int parallel = 2;

  @Option(names = "--repetitions", description = "Measurements of each kind; medians are reported (default ${DEFAULT-VALUE})")
  int repetitions = 3;

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
    return new ChatRequest("bench", List.of(ChatMessage.user(prompt)), 0.8, tokens, prompt.hashCode(), null);
  }

  static List<String> prompts(int n) {
    String[] who = {"a small fox", "a brave girl", "an old cat", "a tiny bird", "a kind dog", "a shy frog", "a big bear"};
    String[] where = {"in the park", "by the sea", "under a tree", "at school", "in the garden", "on a boat"};
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add("Once upon a time, " + who[i % who.length] + " " + where[i % where.length] + " found toy number " + i + ".");
    }
    return out;
  }

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(model)) {
      System.err.println("gguf-bench: no model at " + model.toAbsolutePath() + " (--model)");
      return 2;
    }
    Path abs = model.toAbsolutePath().normalize();
    // As the launcher configures it: twice the engine's sequences in flight (see LocalModels).
    LlmConfig config = new LlmConfig(LlmConfig.GGUF_PREFIX + abs, abs.getFileName().toString(), "", "", 0, 0, 2 * parallel, 120,
        3, 3, 0, "").withLocalEngine(new LlmConfig.LocalEngine(abs.toString(), 512, threads, parallel));
    List<String> prompts = prompts(calls);
    List<Double> raw = new ArrayList<>();
    List<Double> piped = new ArrayList<>();
    // Holding a backend keeps the model loaded: both measurements use the one engine, loaded once.
    try (LlamaCppBackend engine = new LlamaCppBackend(config.localEngine())) {
      raw(engine, prompts.subList(0, Math.min(50, prompts.size()))); // warm-up
      for (int i = 0; i < repetitions; i++) {
        raw.add(raw(engine, prompts));
        piped.add(pipeline(config, prompts));
        System.out.printf("repetition %d: raw %.0f tokens/s, pipeline %.0f tokens/s%n", i + 1, raw.get(i), piped.get(i));
      }
    }
    double r = median(raw);
    double p = median(piped);
    ObjectNode report = MAPPER.createObjectNode();
    report.put("model", abs.getFileName().toString());
    report.put("calls", calls);
    report.put("tokensPerCall", tokens);
    report.put("threads", threads);
    report.put("parallel", parallel);
    report.put("repetitions", repetitions);
    report.put("rawTokensPerSecond", Math.round(r));
    report.put("pipelineTokensPerSecond", Math.round(p));
    report.put("pipelineShareOfRaw", Math.round(p / r * 1000) / 1000.0);
    System.out.println(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report));
    return 0;
  }

  /** The engine alone: the same prompts, formatted the same way, as many in flight as it has sequences. */
  private double raw(LlamaCppBackend engine, List<String> prompts) throws Exception {
    List<ChatRequest> requests = new ArrayList<>();
    List<String> formatted = new ArrayList<>();
    for (String prompt : prompts) {
      ChatRequest r = request(prompt, tokens);
      requests.add(r);
      formatted.add(engine.format(r.messages()));
    }
    ExecutorService pool = Executors.newFixedThreadPool(2 * parallel); // the engine always has the next one queued
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
    pool.shutdown();
    long total = 0;
    for (String t : done) {
      total += t.isEmpty() ? 0 : engine.countTokens(t.strip());
    }
    return total / seconds;
  }

  /** The whole pipeline, start to finish, counting the tokens its metrics report. */
  private double pipeline(LlmConfig config, List<String> prompts) {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    p.apply(Create.of(prompts).withCoder(StringUtf8Coder.of()))
        .apply(CallLlm.of(new Complete(tokens), config, StringUtf8Coder.of(), 4));
    long start = System.nanoTime();
    PipelineResult result = p.run();
    result.waitUntilFinish();
    double seconds = (System.nanoTime() - start) / 1e9;
    long total = 0;
    for (MetricResult<Long> c : result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(CallLlm.METRICS, "llm.completionTokens")).build()).getCounters()) {
      total += c.getAttempted();
    }
    return total / seconds;
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
