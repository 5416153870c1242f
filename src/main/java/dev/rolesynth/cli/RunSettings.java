package dev.rolesynth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rolesynth.ConfigException;
import dev.rolesynth.llm.LlmConfig;
import dev.rolesynth.options.RolesynthOptions;
import dev.rolesynth.pipeline.Folder;
import dev.rolesynth.pipeline.RolePipeline;
import dev.rolesynth.prompt.Resources;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * What a run is made of, read from its options: dates and paths, the input, the LLM configuration.
 */
final class RunSettings {
  private RunSettings() {}

  static LlmConfig llmConfig(
      RolesynthOptions o, Folder output, String pipeline, String runDate, Nightly nightly) {
    LlmConfig remote = httpOrSimConfig(o, output, pipeline, runDate, nightly);
    return remote.local() ? LocalModels.configure(remote, o) : remote;
  }

  static LlmConfig httpOrSimConfig(
      RolesynthOptions o, Folder output, String pipeline, String runDate, Nightly nightly) {
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
      default ->
          throw new ConfigException(
              "--tokenAccounting must be max_tokens or usage, got '" + value + "'");
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
        throw new ConfigException(
            "--llmMaxTokens takes stage=N pairs with N at least 16, got '" + pair.strip() + "'");
      }
      out.put(kv[0].strip(), n);
    }
    return out;
  }

  /** {runDate}: --runDate, checked, or today in UTC; written back so the manifest shows it. */
  static String runDate(RolesynthOptions o) {
    String d = o.getRunDate().strip();
    if (d.isEmpty()) {
      d = LocalDate.now(ZoneOffset.UTC).toString();
    } else {
      try {
        d = LocalDate.parse(d).toString();
      } catch (DateTimeParseException e) {
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
  static void stageBundledJar(RolesynthOptions options, String runner) {
    if (!SharedRateLimit.remoteFlink(options, runner)) {
      return;
    }
    var flink = options.as(org.apache.beam.runners.flink.FlinkPipelineOptions.class);
    if (flink.getFilesToStage() != null && !flink.getFilesToStage().isEmpty()) {
      return;
    }
    try {
      Path self =
          Path.of(RunSettings.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isRegularFile(self) && self.toString().endsWith(".jar")) {
        flink.setFilesToStage(List.of(self.toAbsolutePath().toString()));
      }
    } catch (URISyntaxException | SecurityException e) {
      // leave staging to Beam's class-path detection
    }
  }

  /**
   * The cache folder: beside the output by default, so reruns and later runs onto new folders share
   * it.
   */
  static String cacheDir(RolesynthOptions o, Folder output, String pipeline, String runDate) {
    String dir = placeholders(o.getCacheDir().strip(), pipeline, runDate);
    if (dir.equals("off")) {
      return "";
    }
    if (dir.isEmpty()) {
      return output.parent().path(".rolesynth-cache");
    }
    return dir;
  }

  /**
   * The --input pattern, checked to match at least one file; the sample pool when none is given.
   */
  static String resolveInput(RolePipeline pipeline, RolesynthOptions options) throws IOException {
    String input = options.getInput();
    if (input.isBlank()) {
      return dev.rolesynth.pipeline.SampleFiles.file(pipeline.samplePool(options)).toString();
    }
    List<MatchResult.Metadata> files = dev.rolesynth.pipeline.InputFiles.matching("input", input);
    long bytes = files.stream().mapToLong(MatchResult.Metadata::sizeBytes).sum();
    if (bytes == 0) {
      throw new ConfigException(
          "--input " + input + " matches only empty files: there are no records to process");
    }
    return input;
  }

  static String pipelineVersion(String pipeline) {
    try {
      JsonNode spec =
          new ObjectMapper(new YAMLFactory())
              .readTree(Resources.text("pipelines/" + pipeline + "/pipeline.yaml"));
      return spec.path("version").asText("0");
    } catch (IOException e) {
      throw new ConfigException("pipelines/" + pipeline + "/pipeline.yaml is not valid YAML");
    }
  }
}
