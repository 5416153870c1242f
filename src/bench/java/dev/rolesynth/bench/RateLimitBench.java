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
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the Ditto job against the served simulator limiting the way hosted providers do, once per
 * case, side by side: a configured limit; no limit configured, with limit headers and with only
 * {@code retry-after}; a token limit charged as prompt + {@code max_tokens}; a key shared with
 * another client that spends a third of it. Each case reports the share of the binding ceiling
 * achieved, the share of 429 answers and the records lost. Numbers go in docs/BENCHMARKS.md.
 */
@Command(
    name = "rate-limit-bench",
    mixinStandardHelpOptions = true,
    description =
        "Measure how close to a provider's limits the pipelines run, and how often they are refused.")
public final class RateLimitBench implements Callable<Integer> {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  enum Case {
    configured,
    headers,
    retryafter,
    tpm,
    shared,
    anthropic
  }

  @Option(
      names = "--cases",
      split = ",",
      description = "Cases to run (default: all): ${COMPLETION-CANDIDATES}")
  List<Case> cases = List.of(Case.values());

  @Option(names = "--rpm", description = "Request limit of the provider (default ${DEFAULT-VALUE})")
  double rpm = 600;

  @Option(
      names = "--tpm",
      description = "Token limit of the provider in the tpm case (default ${DEFAULT-VALUE})")
  double tpm = 150_000;

  @Option(
      names = "--share",
      description =
          "Share of the key another client spends in the shared case (default ${DEFAULT-VALUE})")
  double share = 1.0 / 3;

  @Option(
      names = "--latency-ms",
      description = "Mean server latency per answer (default ${DEFAULT-VALUE})")
  long latencyMs = 250;

  @Option(
      names = "--jitter-ms",
      description = "Latency varies by this much either way (default ${DEFAULT-VALUE})")
  long jitterMs = 150;

  @Option(names = "--roles", description = "Roles in the generated pool (default ${DEFAULT-VALUE})")
  int roles = 150;

  @Option(
      names = "--repetitions",
      description = "Runs per case; the median is reported (default ${DEFAULT-VALUE})")
  int repetitions = 1;

  @Option(
      names = "--timeline",
      description = "Also print requests admitted and refused per second, and the run's log")
  boolean timeline;

  @Option(names = "--runner", description = "Runner (default: the launcher's own default)")
  String runner = "";

  @Option(
      names = "--flink-master",
      description = "Submit to this Flink cluster (host:port) instead of running in process")
  String flinkMaster = "";

  @Option(
      names = "--parallelism",
      description = "Flink parallelism on a cluster (default ${DEFAULT-VALUE})")
  int parallelism = 4;

  @Option(
      names = "--rate-limit-service",
      description =
          "auto (shared budgets) or off (per-JVM budgets) on a cluster "
              + "(default ${DEFAULT-VALUE})")
  String rateLimitService = "auto";

  record Result(
      Case c,
      double shareOfCeiling,
      double steadyShare,
      double share429,
      long requests,
      long refused,
      long lost,
      double callsPerMinute,
      double seconds,
      int maxInFlight,
      boolean requestsMatch,
      String detail) {}

  @Override
  public Integer call() throws Exception {
    Path work = Files.createTempDirectory("rolesynth-bench");
    Path pool = work.resolve("pool.jsonl");
    Files.write(pool, pool(roles));
    List<Result> medians = new ArrayList<>();
    for (Case c : cases) {
      List<Result> runs = new ArrayList<>();
      for (int i = 0; i < repetitions; i++) {
        Result r = once(c, pool, work.resolve(c + "-" + i));
        runs.add(r);
        System.out.printf(
            Locale.ROOT,
            "%-10s run %d: %.1f%% of the binding ceiling (steady state %.1f%%), %.2f%% 429s "
                + "(%d of %d), %d lost, at most %d in flight, manifest requests %s the server's, %.0f calls/min, %.0f s; %s%n",
            c,
            i + 1,
            100 * r.shareOfCeiling(),
            100 * r.steadyShare(),
            100 * r.share429(),
            r.refused(),
            r.requests(),
            r.lost(),
            r.maxInFlight(),
            r.requestsMatch() ? "=" : "≠",
            r.callsPerMinute(),
            r.seconds(),
            r.detail());
      }
      runs.sort((a, b) -> Double.compare(a.shareOfCeiling(), b.shareOfCeiling()));
      medians.add(runs.get(runs.size() / 2));
    }
    ObjectNode report = MAPPER.createObjectNode();
    report.put(
        "runner",
        flinkMaster.isBlank()
            ? (runner.isBlank() ? "default" : runner)
            : "FlinkRunner@" + flinkMaster);
    report
        .put("roles", roles)
        .put("repetitions", repetitions)
        .put("rpm", rpm)
        .put("tpm", tpm)
        .put("latencyMs", latencyMs)
        .put("jitterMs", jitterMs);
    for (Result r : medians) {
      report
          .putObject(r.c().name())
          .put("shareOfCeiling", round(r.shareOfCeiling()))
          .put("steadyShareOfCeiling", round(r.steadyShare()))
          .put("maxInFlight", r.maxInFlight())
          .put("requestsMatchServer", r.requestsMatch())
          .put("share429", round(r.share429()))
          .put("requests", r.requests())
          .put("refused", r.refused())
          .put("lost", r.lost())
          .put("callsPerMinute", round(r.callsPerMinute()))
          .put("seconds", round(r.seconds()))
          .put("detail", r.detail());
    }
    System.out.println(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report));
    return 0;
  }

  private SimServer.Config server(Case c) {
    SimServer.Config base = SimServer.Config.of(latencyMs, 0).withJitter(jitterMs);
    return switch (c) {
      case configured, headers -> base.withLimits(rpm, 0, true, 0);
      case retryafter -> base.withLimits(rpm, 0, false, 0);
      case tpm -> base.withLimits(0, tpm, true, 0);
      case shared -> base.withLimits(rpm, 0, true, share);
      case anthropic -> base.withAnthropicLimits(rpm, tpm, tpm / 4);
    };
  }

  private List<String> clientFlags(Case c) {
    return switch (c) {
      case configured -> List.of("--maxRequestsPerMinute=" + rpm);
      case tpm -> List.of("--maxTokensPerMinute=" + tpm);
      case headers, retryafter, shared, anthropic -> List.of();
    };
  }

  private Result once(Case c, Path pool, Path output) throws Exception {
    try (SimServer server = new SimServer(0, server(c))) {
      long start = System.nanoTime();
      ByteArrayOutputStream sink = new ByteArrayOutputStream();
      List<String> args =
          new ArrayList<>(
              List.of(
                  "--pipeline=ditto",
                  "--input=" + pool,
                  "--output=" + output,
                  "--llmEndpoint=" + server.baseUrl(),
                  "--llmModel=bench",
                  "--overwrite=true",
                  // Every run must pay for its calls: a replay from the cache would measure
                  // nothing.
                  "--cacheDir=off"));
      args.addAll(clientFlags(c));
      if (!runner.isBlank()) {
        args.add("--runner=" + runner);
      }
      if (!flinkMaster.isBlank()) {
        args.addAll(
            List.of(
                "--runner=FlinkRunner",
                "--flinkMaster=" + flinkMaster,
                "--parallelism=" + parallelism,
                "--rateLimitService=" + rateLimitService,
                "--llmGroups=" + 2 * parallelism));
      }
      int exit =
          new Launcher(new PrintStream(sink), new PrintStream(sink))
              .run(args.toArray(String[]::new));
      double seconds = (System.nanoTime() - start) / 1e9;
      if (exit != 0 && exit != 3) {
        throw new IllegalStateException("bench run failed with exit " + exit + ":\n" + sink);
      }
      if (timeline) {
        printTimeline(server, sink.toString());
      }
      JsonNode manifest = MAPPER.readTree(output.resolve("_manifest.json").toFile());
      long lost = roles - manifest.get("outputRecords").asLong();
      long calls = manifest.at("/llm/calls").asLong();
      List<Long> accepted = server.acceptedAtNanos();
      accepted.sort(null);
      double spanMinutes = (accepted.get(accepted.size() - 1) - accepted.get(0)) / 60e9;
      // The steady state: from the 10th to the 90th percentile of admitted requests.
      int lo = accepted.size() / 10;
      int hi = accepted.size() * 9 / 10;
      double steadyPerMinute = (hi - lo) / ((accepted.get(hi) - accepted.get(lo)) / 60e9);
      double share;
      double steady;
      String detail;
      if (c == Case.tpm) {
        double tokensPerMinute = server.tokensCharged() / spanMinutes;
        share = tokensPerMinute / tpm;
        steady = share; // tokens are not timed per request; the whole run stands for both
        detail =
            String.format(
                Locale.ROOT,
                "%.0f tokens/min charged of %.0f; %d requests/min",
                tokensPerMinute,
                tpm,
                Math.round((accepted.size() - 1) / spanMinutes));
      } else if (c == Case.anthropic) {
        // The binding one of the three: requests, input tokens, output tokens (--tpm and --tpm /
        // 4).
        long[] io = server.inputOutputCharged();
        double r = (accepted.size() - 1) / spanMinutes / rpm;
        double in = io[0] / spanMinutes / tpm;
        double out = io[1] / spanMinutes / (tpm / 4);
        share = Math.max(r, Math.max(in, out));
        steady = share * steadyPerMinute / ((accepted.size() - 1) / spanMinutes);
        detail =
            String.format(
                Locale.ROOT,
                "%.1f%% of the requests, %.1f%% of the input tokens, %.1f%% of the output "
                    + "tokens a minute",
                100 * r,
                100 * in,
                100 * out);
      } else {
        double ours = (accepted.size() - 1) / spanMinutes;
        double theirs =
            c == Case.shared ? server.backgroundAdmitted() / (server.elapsedSeconds() / 60) : 0;
        share = ours / (rpm - theirs);
        steady = steadyPerMinute / (rpm - theirs);
        detail =
            String.format(
                Locale.ROOT,
                "%.0f requests/min%s",
                ours,
                c == Case.shared
                    ? String.format(
                        Locale.ROOT,
                        " + %.0f by the other client = %.1f%% of %.0f",
                        theirs,
                        100 * (ours + theirs) / rpm,
                        rpm)
                    : "");
      }
      detail += "; failures " + manifest.get("failuresByReason");
      return new Result(
          c,
          share,
          steady,
          (double) server.rateLimited() / server.received(),
          server.received(),
          server.rateLimited(),
          lost,
          calls / (seconds / 60),
          seconds,
          server.maxInFlight(),
          manifest.at("/llm/requests").asLong() == server.received(),
          detail);
    }
  }

  /**
   * Admitted/refused per second from the first request, then the launcher's log lines about limits.
   */
  private static void printTimeline(SimServer server, String log) {
    List<Long> ok = server.acceptedAtNanos();
    List<Long> no = server.refusedAtNanos();
    long t0 =
        Math.min(
            ok.stream().min(Long::compare).orElse(Long.MAX_VALUE),
            no.stream().min(Long::compare).orElse(Long.MAX_VALUE));
    long t1 =
        Math.max(
            ok.stream().max(Long::compare).orElse(t0), no.stream().max(Long::compare).orElse(t0));
    int seconds = (int) ((t1 - t0) / 1_000_000_000L) + 1;
    int[] admitted = new int[seconds];
    int[] refused = new int[seconds];
    ok.forEach(t -> admitted[(int) ((t - t0) / 1_000_000_000L)]++);
    no.forEach(t -> refused[(int) ((t - t0) / 1_000_000_000L)]++);
    StringBuilder line = new StringBuilder("second admitted/refused:");
    for (int i = 0; i < seconds; i++) {
      line.append(' ')
          .append(i)
          .append(':')
          .append(admitted[i])
          .append(refused[i] > 0 ? "/" + refused[i] : "");
    }
    System.out.println(line);
    server.stageSpans().entrySet().stream()
        .sorted(Comparator.comparingLong(e -> e.getValue()[0]))
        .forEach(
            e ->
                System.out.printf(
                    Locale.ROOT,
                    "stage %-22s %5d requests from %6.1f s to %6.1f s%n",
                    e.getKey(),
                    e.getValue()[2],
                    (e.getValue()[0] - t0) / 1e9,
                    (e.getValue()[1] - t0) / 1e9));
    log.lines().filter(l -> l.contains("rolesynth:")).forEach(System.out::println);
  }

  /** A pool of generic roles with enough profile text for every stage. */
  public static List<String> pool(int n) {
    String[] trades = {
      "lighthouse keeper",
      "cartographer",
      "glassblower",
      "falconer",
      "astronomer",
      "ferryman",
      "archivist",
      "beekeeper",
      "clockmaker",
      "herbalist"
    };
    String[] places = {
      "Saltreach", "Vennmoor", "Harrowgate", "Brindle Isle", "Oakhollow", "Ketterby", "Lowmere"
    };
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String name = "Bench Person " + (i + 1);
      String trade = trades[i % trades.length];
      String place = places[i % places.length];
      ObjectNode r = MAPPER.createObjectNode();
      r.put("id", "bench-" + (i + 1));
      r.put("name", name);
      r.put("description", "a " + trade + " of " + place);
      r.put(
          "background",
          name
              + " works as a "
              + trade
              + " in "
              + place
              + ". "
              + name
              + " learned the trade from a grandparent "
              + (i + 3)
              + " decades ago. "
              + name
              + " keeps a journal of every "
              + (i % 2 == 0 ? "storm" : "harvest")
              + " since "
              + (1800 + i)
              + ". "
              + name
              + " once travelled to "
              + places[(i + 3) % places.length]
              + " to settle a quarrel.");
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
