package dev.rolesynth.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.ConfigException;
import dev.rolesynth.options.Knobs;
import dev.rolesynth.options.Ranges;
import dev.rolesynth.options.RolesynthOptions;
import dev.rolesynth.pipeline.RolePipeline;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks on options Beam does not make (types named by option, ranges), and the options as the
 * manifest shows them.
 */
final class OptionChecks {
  private OptionChecks() {}

  static void checkRanges(RolesynthOptions o) {
    require(o.getLimit() >= 0, "--limit must be 0 (all) or positive, got " + o.getLimit());
    require(
        o.getMaxRequestsPerMinute() >= 0,
        "--maxRequestsPerMinute must be 0 (unlimited) or positive");
    require(
        o.getMaxTokensPerMinute() >= 0, "--maxTokensPerMinute must be 0 (unlimited) or positive");
    require(
        o.getMaxConcurrentRequests() >= 0,
        "--maxConcurrentRequests must be 0 (unlimited) or positive");
    require(o.getRateLimitWorkers() >= 1, "--rateLimitWorkers must be at least 1");
    require(o.getLlmTimeoutSeconds() >= 1, "--llmTimeoutSeconds must be at least 1");
    require(o.getLlmMaxAttempts() >= 1, "--llmMaxAttempts must be at least 1");
    require(o.getLlmMaxRepairs() >= 0, "--llmMaxRepairs must be 0 or more");
    require(
        o.getLlmRateLimitPatienceMinutes() > 0 && o.getLlmRateLimitPatienceMinutes() <= 24 * 60,
        "--llmRateLimitPatienceMinutes must be more than 0 and at most 1440");
    require(o.getLlmGroups() >= 1, "--llmGroups must be at least 1");
    require(o.getJobRetries() >= 0, "--jobRetries must be 0 (none) or more");
    require(o.getJobRetryWaitSeconds() >= 0, "--jobRetryWaitSeconds must be 0 or more");
    require(
        o.getCacheRetentionDays() >= 0, "--cacheRetentionDays must be 0 (keep forever) or more");
    require(o.getMaxFieldChars() >= 100, "--maxFieldChars must be at least 100");
    require(o.getMaxRecordBytes() >= 1024, "--maxRecordBytes must be at least 1024");
    require(
        o.getMaxFailureRatio() >= 0 && o.getMaxFailureRatio() <= 1,
        "--maxFailureRatio must be between 0 and 1");
    require(!o.getLlmEndpoint().isBlank(), "--llmEndpoint must be 'sim', a base URL or gguf:PATH");
    require(!o.getLlmModel().isBlank(), "--llmModel must not be empty");
    require(
        Set.of("auto", "jsonl", "json", "csv").contains(o.getInputFormat()),
        "--inputFormat must be auto, jsonl, json or csv");
  }

  /** Beam's own message for "--limit=abc" does not name the option; this one does. */
  static void checkTypes(Map<String, String> flags, Class<?> type) {
    for (Method m : type.getMethods()) {
      String key = Ranges.optionName(m);
      if (key != null && flags.containsKey(key)) {
        Knobs.typed(key, m.getReturnType(), flags.get(key));
      }
    }
  }

  static void require(boolean ok, String message) {
    if (!ok) {
      throw new ConfigException(message);
    }
  }

  /**
   * Every option of the pipeline with its effective value (defaults included; no secrets exist in
   * options).
   */
  static ObjectNode effectiveConfig(
      RolesynthOptions options, RolePipeline<?> pipeline, String runner) {
    Map<String, Object> values = new TreeMap<>();
    Knobs.values(Knobs.of(options, pipeline.name(), pipeline.knobsType()))
        .fields()
        .forEachRemaining(e -> values.put(e.getKey(), e.getValue()));
    for (Method m : RolesynthOptions.class.getMethods()) {
      String key = Ranges.optionName(m);
      if (key != null && !key.equals("knobs") && m.getDeclaringClass() == RolesynthOptions.class) {
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
      values.put(
          "targetParallelism",
          options.as(org.apache.beam.runners.direct.DirectOptions.class).getTargetParallelism());
    }
    if (runner.equals("FlinkRunner")) {
      var flink = options.as(org.apache.beam.runners.flink.FlinkPipelineOptions.class);
      values.put("flinkMaster", flink.getFlinkMaster());
      values.put("parallelism", flink.getParallelism());
      values.put("executionModeForBatch", flink.getExecutionModeForBatch());
    }
    return Manifest.MAPPER.valueToTree(values);
  }

  /**
   * Parses the command line into {@code type}, every type error a configuration error naming the
   * option.
   */
  static <O extends org.apache.beam.sdk.options.PipelineOptions> O parse(
      String[] args, Map<String, String> flags, Class<O> type) {
    checkTypes(flags, type);
    try {
      return org.apache.beam.sdk.options.PipelineOptionsFactory.fromArgs(without(args, "help"))
          .withValidation()
          .as(type);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(firstLine(e.getMessage()));
    }
  }

  /**
   * Elements are never changed after they are emitted, so Flink's chained operators need not copy
   * them (the review's jobs).
   */
  static void skipFlinkCopies(
      org.apache.beam.sdk.options.PipelineOptions options, Map<String, String> flags) {
    if (options.getRunner().getSimpleName().equals("FlinkRunner")
        && !flags.containsKey("fasterCopy")) {
      options.as(org.apache.beam.runners.flink.FlinkPipelineOptions.class).setFasterCopy(true);
    }
  }

  static String[] without(String[] args, String key) {
    return Arrays.stream(args)
        .filter(a -> !a.equals("--" + key) && !a.startsWith("--" + key + "="))
        .toArray(String[]::new);
  }

  static String firstLine(String s) {
    return s == null ? "invalid options" : s.split("\n")[0];
  }
}
