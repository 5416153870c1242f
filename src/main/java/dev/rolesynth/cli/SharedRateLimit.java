package dev.rolesynth.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.ConfigException;
import dev.rolesynth.llm.Clock;
import dev.rolesynth.llm.LlmConfig;
import dev.rolesynth.llm.RateLimitService;
import dev.rolesynth.options.RolesynthOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.beam.runners.flink.FlinkPipelineOptions;

/**
 * Decides where a run's rate budgets live. In one JVM (DirectRunner, embedded Flink) the client's
 * own budgets are already global. On a Flink cluster every TaskManager is a JVM of its own, so by
 * default the launcher serves the budgets ({@link RateLimitService}) and every worker reserves its
 * permits there: the endpoint sees the limit whatever the parallelism. {@code
 * --rateLimitService=off} gives each JVM limit / {@code --rateLimitWorkers} instead, and says so.
 */
final class SharedRateLimit implements AutoCloseable {
  private static final Set<String> IN_PROCESS_MASTERS =
      Set.of("", "[auto]", "[local]", "[collection]");

  private final LlmConfig config;
  private final RateLimitService service;
  private final String mode;

  private SharedRateLimit(LlmConfig config, RateLimitService service, String mode) {
    this.config = config;
    this.service = service;
    this.mode = mode;
  }

  static boolean remoteFlink(RolesynthOptions o, String runner) {
    return runner.equals("FlinkRunner")
        && !IN_PROCESS_MASTERS.contains(o.as(FlinkPipelineOptions.class).getFlinkMaster().strip());
  }

  static SharedRateLimit start(RolesynthOptions o, String runner, LlmConfig llm, PrintStream err)
      throws IOException {
    String setting = o.getRateLimitService().strip();
    if (!llm.throttled()) {
      return new SharedRateLimit(llm, null, "none");
    }
    if (setting.startsWith("http://") || setting.startsWith("https://")) {
      String token = RateLimitTokens.given(o.getRateLimitTokenFile());
      RateLimitTokens.check(setting, token);
      return new SharedRateLimit(llm.withRateLimitService(setting, token), null, "shared-service");
    }
    if (!setting.equals("auto") && !setting.equals("off")) {
      throw new ConfigException(
          "--rateLimitService must be auto, off or an http(s) URL, got '" + setting + "'");
    }
    if (setting.equals("off") || !remoteFlink(o, runner)) {
      if (setting.equals("off") && remoteFlink(o, runner) && o.getRateLimitWorkers() == 1) {
        err.println(
            "rolesynth: WARNING: --rateLimitService=off on a Flink cluster: every TaskManager JVM spends the "
                + "whole limit; set --rateLimitWorkers to their number or the endpoint sees a multiple of the limit");
      }
      return new SharedRateLimit(llm, null, "per-jvm");
    }
    URI master =
        URI.create(
            "http://"
                + o.as(FlinkPipelineOptions.class)
                    .getFlinkMaster()
                    .strip()
                    .replaceFirst("^\\w+://", ""));
    // Listen on the address this machine reaches the cluster by, not on every interface.
    InetAddress bind =
        RateLimitTokens.routeTo(master.getHost(), master.getPort() > 0 ? master.getPort() : 8081);
    String advertised =
        !o.getRateLimitHost().isBlank() ? o.getRateLimitHost().strip() : bind.getHostAddress();
    String token = RateLimitTokens.generate();
    RateLimitService service = new RateLimitService(bind.getHostAddress(), 0, Clock.SYSTEM, token);
    String url = service.url(advertised);
    err.println(
        "rolesynth: rate budgets for all TaskManagers served at "
            + url
            + " (--rateLimitService=auto; "
            + "listening on "
            + bind.getHostAddress()
            + ", requests need this job's secret)");
    return new SharedRateLimit(llm.withRateLimitService(url, token), service, "shared-service");
  }

  LlmConfig config() {
    return config;
  }

  /**
   * @param paces the last pace the workers reported, requests and tokens per minute (-1 =
   *     unlimited)
   */
  void describe(ObjectNode llmNode, int rateLimitWorkers, Map<String, Long> paces) {
    ObjectNode r = llmNode.putObject("rateLimit");
    r.put("mode", mode);
    r.put("configuredRequestsPerMinute", config.maxRequestsPerMinute());
    r.put("configuredTokensPerMinute", config.maxTokensPerMinute());
    r.put("tokenAccounting", config.tokenAccounting().name().toLowerCase(Locale.ROOT));
    paces.forEach(
        (k, v) -> r.put("final" + Character.toUpperCase(k.charAt(0)) + k.substring(1), v));
    r.put("service", config.sharedRateLimit() ? config.rateLimitService() : "");
    r.put("perJvmDivisor", mode.equals("per-jvm") ? rateLimitWorkers : 1);
    if (service != null) {
      r.set("granted", Manifest.MAPPER.valueToTree(service.granted()));
    }
  }

  @Override
  public void close() {
    if (service != null) {
      service.close();
    }
  }
}
