package dev.rolesynth.sim;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Serves the simulator on 127.0.0.1 until interrupted: a stand-in endpoint for trying rolesynth
 * out.
 */
@Command(
    name = "sim-server",
    mixinStandardHelpOptions = true,
    description = "Serve rolesynth's simulated LLM as an OpenAI-compatible endpoint on 127.0.0.1.")
public final class SimServerMain implements Callable<Integer> {
  @Option(
      names = "--port",
      description = "Port on 127.0.0.1 (0 = any free port; default ${DEFAULT-VALUE})")
  int port = 8000;

  @Option(
      names = "--latency-ms",
      description = "Added latency per answer (default ${DEFAULT-VALUE})")
  long latencyMs = 0;

  @Option(
      names = "--jitter-ms",
      description = "Latency varies uniformly by this much either way (default ${DEFAULT-VALUE})")
  long jitterMs = 0;

  @Option(
      names = "--rpm",
      description =
          "Requests per minute before answering 429 (0 = no limit; default ${DEFAULT-VALUE})")
  double rpm = 0;

  @Option(
      names = "--tpm",
      description =
          "Tokens per minute, charged as prompt + max_tokens on arrival (0 = no limit; "
              + "default ${DEFAULT-VALUE})")
  double tpm = 0;

  @Option(
      names = "--usage-only",
      description =
          "Charge tokens as prompt + completion (a provider that counts usage) "
              + "instead of prompt + max_tokens")
  boolean usageOnly;

  @Option(
      names = "--limit-headers",
      arity = "1",
      description =
          "Send x-ratelimit-* headers on every answer (true), or "
              + "only retry-after in whole seconds on a 429 (false); default ${DEFAULT-VALUE}")
  boolean headers = true;

  @Option(
      names = "--require-key-env",
      description =
          "Answer 401 unless requests carry the key held in this "
              + "environment variable (a provider with keys; the key itself is never a flag)")
  String requireKeyEnv = "";

  @Option(
      names = "--models",
      split = ",",
      description = "Models /v1/models lists and completions accept (default: any)")
  List<String> models = List.of();

  @Option(
      names = "--background-share",
      description =
          "Share of both limits another client of the same key spends "
              + "(0 = none; default ${DEFAULT-VALUE})")
  double backgroundShare = 0;

  @Option(
      names = "--fault-5xx",
      description = "Share of requests answered 500/503 (default ${DEFAULT-VALUE})")
  double serverErrors = 0;

  @Option(names = "--fault-drop", description = "Share of connections dropped without an answer")
  double drops = 0;

  @Option(names = "--fault-malformed", description = "Share of answers with a torn JSON body")
  double malformed = 0;

  @Option(
      names = "--fault-schema-invalid",
      description = "Share of structured answers that ignore the schema")
  double schemaInvalid = 0;

  @Option(names = "--fault-slow", description = "Share of answers delayed by --slow-ms")
  double slow = 0;

  @Option(names = "--slow-ms", description = "Delay of a slow answer (default ${DEFAULT-VALUE})")
  long slowMs = 120_000;

  @Option(
      names = "--storm-every-s",
      description = "A 429 storm closes every cycle of this many seconds (0 = none)")
  long stormEvery = 0;

  @Option(names = "--storm-s", description = "Length of each 429 storm in seconds")
  long stormSeconds = 0;

  @Option(
      names = "--anthropic",
      description =
          "Anthropic's limits and headers: --rpm requests, --tpm input tokens "
              + "and --output-tpm output tokens a minute")
  boolean anthropic;

  @Option(
      names = "--output-tpm",
      description = "Output tokens a minute with --anthropic (default ${DEFAULT-VALUE})")
  double outputTpm = 0;

  @Option(
      names = "--stats-every-s",
      description =
          "Print requests received, answered, refused and in flight this "
              + "often (0 = never; default ${DEFAULT-VALUE})")
  long statsEvery = 0;

  @Override
  public Integer call() throws Exception {
    Faults faults =
        new Faults(
            serverErrors,
            drops,
            malformed,
            schemaInvalid,
            slow,
            slowMs,
            stormEvery,
            stormSeconds,
            false,
            1);
    String key = requireKeyEnv.isBlank() ? null : System.getenv(requireKeyEnv);
    if (!requireKeyEnv.isBlank() && (key == null || key.isBlank())) {
      System.err.println(
          "sim-server: --require-key-env names " + requireKeyEnv + ", which is not set");
      return 2;
    }
    SimServer.Config config =
        new SimServer.Config(
            latencyMs,
            jitterMs,
            new ProviderLimits.Settings(rpm, tpm, headers, 1.0, backgroundShare, usageOnly, 1),
            faults,
            key,
            models);
    if (anthropic) {
      config = config.withAnthropicLimits(rpm, tpm, outputTpm);
    }
    SimServer server = new SimServer(port, config);
    System.out.println(
        "sim-server: serving "
            + server.baseUrl()
            + " (latency "
            + latencyMs
            + " ± "
            + jitterMs
            + " ms; "
            + "limits "
            + (rpm > 0 ? rpm + " requests/min" : "no request limit")
            + ", "
            + (tpm > 0
                ? tpm
                    + " tokens/min ("
                    + (usageOnly ? "prompt + completion" : "prompt + max_tokens")
                    + ")"
                : "no token limit")
            + ", "
            + (headers ? "x-ratelimit headers" : "retry-after only")
            + (backgroundShare > 0
                ? ", " + backgroundShare + " of them spent by another client"
                : "")
            + "); Ctrl-C stops it");
    if (statsEvery > 0) {
      while (true) {
        Thread.sleep(statsEvery * 1000);
        System.out.println(
            "sim-server: "
                + server.received()
                + " received, "
                + server.answered()
                + " answered, "
                + server.rateLimited()
                + " refused (429), "
                + server.inFlight()
                + " in flight now, at most "
                + server.maxInFlight());
      }
    }
    new CountDownLatch(1).await();
    return 0;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new SimServerMain()).execute(args));
  }
}
