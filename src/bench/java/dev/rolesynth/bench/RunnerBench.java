package dev.rolesynth.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.cli.FlinkRelaunch;
import dev.rolesynth.cli.Launcher;
import dev.rolesynth.ditto.DittoPipeline;
import dev.rolesynth.options.RolesynthOptions;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The framework's own speed and memory: Ditto with the in-process simulator (no network, no model),
 * so that what is measured is the runner, the coders and the client, not a provider. Each run is a
 * fresh JVM with the given heap, as {@code mvn exec:java} starts one; runners alternate within each
 * repetition, so that both see the same machine. Reports LLM calls per second of job time (from
 * submission to the end of the job) and per second of the whole run, and the JVM's peak heap and
 * resident set, from the run's manifest. Embedded Flink gets the JVM flags the launcher gives its
 * child JVM under {@code mvn exec:java} (C1 only for a short job).
 */
@Command(
    name = "runner-bench",
    mixinStandardHelpOptions = true,
    description = "Calls per second and memory of the local runners on the in-process simulator.")
public final class RunnerBench implements Callable<Integer> {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Option(names = "--roles", description = "Roles in the generated pool (default ${DEFAULT-VALUE})")
  int roles = 1_000;

  @Option(
      names = "--runners",
      split = ",",
      description =
          "Runners, alternated (default ${DEFAULT-VALUE}); "
              + "FlinkRunner/C2 is embedded Flink with the JVM's own JIT instead of the launcher's choice")
  List<String> runners = List.of("FlinkRunner", "DirectRunner");

  @Option(
      names = "--repetitions",
      description = "Runs per runner; medians are reported (default ${DEFAULT-VALUE})")
  int repetitions = 3;

  @Option(
      names = "--heap",
      description = "Heap of each run's JVM, as -Xmx takes it (default ${DEFAULT-VALUE})")
  String heap = "1g";

  @Option(
      names = "--extra",
      description = "More launcher options for every run, e.g. --extra=--enforceImmutability=false")
  List<String> extra = List.of();

  @Override
  public Integer call() throws Exception {
    Path work = Files.createTempDirectory("rolesynth-runner-bench");
    Path pool = work.resolve("pool.jsonl");
    try (BufferedWriter w = Files.newBufferedWriter(pool)) {
      for (String line : RateLimitBench.pool(roles)) {
        w.write(line);
        w.newLine();
      }
    }
    ObjectNode report = MAPPER.createObjectNode();
    report.put("roles", roles).put("heap", heap).put("repetitions", repetitions);
    List<List<JsonNode>> byRunner = new ArrayList<>();
    runners.forEach(r -> byRunner.add(new ArrayList<>()));
    for (int rep = 0; rep < repetitions; rep++) {
      for (int i = 0; i < runners.size(); i++) {
        JsonNode m =
            once(runners.get(i), pool, work.resolve(runners.get(i).replace('/', '-') + "-" + rep));
        byRunner.get(i).add(m);
        System.out.printf(
            Locale.ROOT,
            "%s run %d: %d calls, %.0f calls/s of job time (%.1f s), %.0f calls/s end to end "
                + "(%.1f s); peak heap %d MB of %d MB, peak RSS %d MB%n",
            runners.get(i),
            rep + 1,
            m.at("/llm/calls").asLong(),
            jobRate(m),
            m.get("jobSeconds").asDouble(),
            totalRate(m),
            m.get("durationSeconds").asDouble(),
            m.at("/resources/peakHeapBytes").asLong() >> 20,
            m.at("/resources/maxHeapBytes").asLong() >> 20,
            m.at("/resources/peakRssBytes").asLong() >> 20);
      }
    }
    for (int i = 0; i < runners.size(); i++) {
      List<JsonNode> runs = byRunner.get(i);
      ObjectNode r = report.putObject(runners.get(i));
      r.put(
          "medianCallsPerJobSecond",
          Math.round(median(runs.stream().mapToDouble(RunnerBench::jobRate).toArray())));
      r.put(
          "medianCallsPerSecondEndToEnd",
          Math.round(median(runs.stream().mapToDouble(RunnerBench::totalRate).toArray())));
      r.put(
          "medianPeakHeapMB",
          Math.round(
              median(
                  runs.stream()
                      .mapToDouble(m -> m.at("/resources/peakHeapBytes").asLong() >> 20)
                      .toArray())));
      r.put(
          "medianPeakRssMB",
          Math.round(
              median(
                  runs.stream()
                      .mapToDouble(m -> m.at("/resources/peakRssBytes").asLong() >> 20)
                      .toArray())));
      ArrayNode ratios = r.putArray("jobRateRatioToFirstRunnerPerRepetition");
      for (int rep = 0; rep < repetitions; rep++) {
        ratios.add(
            Math.round(100 * jobRate(runs.get(rep)) / jobRate(byRunner.get(0).get(rep))) / 100.0);
      }
    }
    System.out.println(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report));
    return 0;
  }

  private JsonNode once(String variant, Path pool, Path output) throws Exception {
    String runner = variant.split("/")[0];
    boolean launcherJit = !variant.endsWith("/C2");
    List<String> args =
        new ArrayList<>(
            List.of(
                "--pipeline=ditto",
                "--runner=" + runner,
                "--input=" + pool,
                "--output=" + output,
                "--overwrite=true"));
    args.addAll(extra);
    // The JVM flags the launcher gives its embedded-Flink child under mvn exec:java (the default
    // path).
    List<String> flags = List.of("-Xmx" + heap);
    if (runner.equals("FlinkRunner") && launcherJit) {
      RolesynthOptions options =
          PipelineOptionsFactory.fromArgs("--input=" + pool).as(RolesynthOptions.class);
      flags = FlinkRelaunch.withJitChoice(flags, Launcher.shortJob(new DittoPipeline(), options));
    }
    System.out.println(runner + " JVM flags: " + flags);
    List<String> command = FlinkRelaunch.command(flags, "dev.rolesynth.cli.Main", args);
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.resolveSibling(output.getFileName() + ".log").toFile())
            .start();
    int exit = p.waitFor();
    if (exit != 0) {
      throw new IllegalStateException(
          runner + " run failed with exit " + exit + "; see " + output + ".log");
    }
    return MAPPER.readTree(output.resolve("_manifest.json").toFile());
  }

  private static double jobRate(JsonNode m) {
    return m.at("/llm/calls").asLong() / m.get("jobSeconds").asDouble();
  }

  private static double totalRate(JsonNode m) {
    return m.at("/llm/calls").asLong() / m.get("durationSeconds").asDouble();
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new RunnerBench()).execute(args));
  }
}
