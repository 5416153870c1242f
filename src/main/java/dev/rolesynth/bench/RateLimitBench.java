package dev.rolesynth.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.cli.Launcher;
import dev.rolesynth.sim.SimServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the Ditto job against the served simulator with latency and an RPM limit, and reports the
 * rate the endpoint actually saw as a share of the limit, and the share of 429 answers. Numbers go
 * in docs/BENCHMARKS.md; the report is a median over repetitions because machines here are shared.
 */
@Command(name = "rate-limit-bench", mixinStandardHelpOptions = true,
    description = "Measure achieved requests/minute against a rate-limited, slow simulated endpoint.")
public final class RateLimitBench implements Callable<Integer> {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Option(names = "--rpm", description = "Limit enforced by the server and given to the client (default ${DEFAULT-VALUE})")
  double rpm = 600;

  @Option(names = "--latency-ms", description = "Server latency per answer (default ${DEFAULT-VALUE})")
  long latencyMs = 200;

  @Option(names = "--roles", description = "Roles in the generated pool (default ${DEFAULT-VALUE})")
  int roles = 25;

  @Option(names = "--repetitions", description = "Runs; the median is reported (default ${DEFAULT-VALUE})")
  int repetitions = 3;

  @Option(names = "--runner", description = "DirectRunner or FlinkRunner (default ${DEFAULT-VALUE})")
  String runner = "DirectRunner";

  @Option(names = "--sequential-baseline", arity = "1",
      description = "Also run once with one request in flight, to show 1/latency: true or false (default ${DEFAULT-VALUE})")
  boolean sequentialBaseline = true;

  @Option(names = "--flink-master", description = "Submit to this Flink cluster (host:port) instead of running in process")
  String flinkMaster = "";

  @Option(names = "--parallelism", description = "Flink parallelism on a cluster (default ${DEFAULT-VALUE})")
  int parallelism = 4;

  @Option(names = "--rate-limit-service", description = "auto (shared budgets) or off (per-JVM budgets) on a cluster "
      + "(default ${DEFAULT-VALUE})")
  String rateLimitService = "auto";

  record Result(double achievedRpm, double shareOfLimit, double share429, long requests, long rateLimited, double seconds) {}

  @Override
  public Integer call() throws Exception {
    Path work = Files.createTempDirectory("rolesynth-bench");
    Path pool = work.resolve("pool.jsonl");
    Files.write(pool, pool(roles));
    List<Result> results = new ArrayList<>();
    for (int i = 0; i < repetitions; i++) {
      Result r = once(pool, work.resolve("run-" + i), 0);
      results.add(r);
      System.out.printf("run %d: %.1f requests/min = %.1f%% of %.0f; 429s %.2f%% (%d of %d); %.1f s%n", i + 1, r.achievedRpm(),
          100 * r.shareOfLimit(), rpm, 100 * r.share429(), r.rateLimited(), r.requests(), r.seconds());
    }
    results.sort((a, b) -> Double.compare(a.shareOfLimit(), b.shareOfLimit()));
    Result median = results.get(results.size() / 2);
    ObjectNode report = MAPPER.createObjectNode();
    report.put("runner", flinkMaster.isBlank() ? runner : "FlinkRunner");
    if (!flinkMaster.isBlank()) {
      report.put("flinkMaster", flinkMaster);
      report.put("parallelism", parallelism);
      report.put("rateLimitService", rateLimitService);
    }
    report.put("limitRpm", rpm);
    report.put("latencyMs", latencyMs);
    report.put("roles", roles);
    report.put("repetitions", repetitions);
    report.put("medianAchievedRpm", round(median.achievedRpm()));
    report.put("medianShareOfLimit", round(median.shareOfLimit()));
    report.put("medianShare429", round(median.share429()));
    report.put("requestsPerRun", median.requests());
    if (sequentialBaseline) {
      Result seq = once(pool, work.resolve("sequential"), 1);
      report.put("sequentialRpm", round(seq.achievedRpm()));
      report.put("oneOverLatencyRpm", round(60_000.0 / latencyMs));
      report.put("speedupOverSequential", round(median.achievedRpm() / seq.achievedRpm()));
    }
    System.out.println(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report));
    return 0;
  }

  private Result once(Path pool, Path output, int maxConcurrent) throws Exception {
    try (SimServer server = new SimServer(0, latencyMs, rpm)) {
      long start = System.nanoTime();
      ByteArrayOutputStream sink = new ByteArrayOutputStream();
      List<String> args = new ArrayList<>(List.of(
          "--pipeline=ditto", "--runner=" + (flinkMaster.isBlank() ? runner : "FlinkRunner"), "--input=" + pool,
          "--output=" + output, "--llmEndpoint=" + server.baseUrl(), "--llmModel=bench", "--judge=true",
          "--maxRequestsPerMinute=" + rpm, "--maxConcurrentRequests=" + maxConcurrent, "--overwrite=true",
          // Every repetition must pay for its calls: a replay from the cache would measure nothing.
          "--cacheDir=off"));
      if (!flinkMaster.isBlank()) {
        args.addAll(List.of("--flinkMaster=" + flinkMaster, "--parallelism=" + parallelism,
            "--rateLimitService=" + rateLimitService, "--llmGroups=" + 2 * parallelism));
      }
      int exit = new Launcher(new PrintStream(sink), new PrintStream(sink)).run(args.toArray(String[]::new));
      double seconds = (System.nanoTime() - start) / 1e9;
      if (exit != 0) {
        throw new IllegalStateException("bench run failed with exit " + exit + ":\n" + sink);
      }
      JsonNode manifest = MAPPER.readTree(output.resolve("_manifest.json").toFile());
      if (manifest.get("outputRecords").asLong() != roles) {
        throw new IllegalStateException("expected " + roles + " dialogues, manifest says " + manifest.get("outputRecords"));
      }
      List<Long> accepted = server.acceptedAtNanos();
      accepted.sort(null);
      double spanMinutes = (accepted.get(accepted.size() - 1) - accepted.get(0)) / 60e9;
      double achieved = (accepted.size() - 1) / spanMinutes;
      return new Result(achieved, achieved / rpm, (double) server.rateLimited() / server.received(), server.received(),
          server.rateLimited(), seconds);
    }
  }

  /** A pool of generic roles with enough profile text for every stage. */
  public static List<String> pool(int n) {
    String[] trades = {"lighthouse keeper", "cartographer", "glassblower", "falconer", "astronomer", "ferryman", "archivist",
        "beekeeper", "clockmaker", "herbalist"};
    String[] places = {"Saltreach", "Vennmoor", "Harrowgate", "Brindle Isle", "Oakhollow", "Ketterby", "Lowmere"};
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String name = "Bench Person " + (i + 1);
      String trade = trades[i % trades.length];
      String place = places[i % places.length];
      ObjectNode r = MAPPER.createObjectNode();
      r.put("id", "bench-" + (i + 1));
      r.put("name", name);
      r.put("description", "a " + trade + " of " + place);
      r.put("background", name + " works as a " + trade + " in " + place + ". " + name + " learned the trade from a grandparent "
          + (i + 3) + " decades ago. " + name + " keeps a journal of every " + (i % 2 == 0 ? "storm" : "harvest") + " since "
          + (1800 + i) + ". " + name + " once travelled to " + places[(i + 3) % places.length] + " to settle a quarrel.");
      lines.add(r.toString());
    }
    return lines;
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  public static void main(String[] args) {
    int code = new CommandLine(new RateLimitBench()).execute(args);
    System.exit(code);
  }
}
