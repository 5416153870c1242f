package dev.rolesynth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import dev.rolesynth.ConfigException;
import dev.rolesynth.pipeline.Folder;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * Whether a run asked for onto a finished output is the run that made it. Only then is a rerun a
 * no-op; otherwise the user meant another run (a judge, another mode, another pool) and doing
 * nothing with exit 0 would make them believe it ran. Compared: the pipeline, its version, the
 * input's files and content, the prompt templates, and every option except those that only say
 * where or how fast a run goes (listed in {@link #OPERATIONAL}), so an option added later counts as
 * changing records until it is listed here.
 */
final class RerunCheck {
  /** Options that change how a run goes, never which records it makes. */
  static final Set<String> OPERATIONAL =
      Set.of(
          "runId",
          "runDate",
          "runner",
          "flinkMaster",
          "parallelism",
          "executionModeForBatch",
          "targetParallelism",
          "output",
          "overwrite",
          "config",
          "cacheDir",
          "cacheRetentionDays",
          "rateLimitHost",
          "rateLimitService",
          "rateLimitTokenFile",
          "rateLimitWorkers",
          "maxConcurrentRequests",
          "maxRequestsPerMinute",
          "maxTokensPerMinute",
          "tokenAccounting",
          "llmTimeoutSeconds",
          "llmRateLimitPatienceMinutes",
          "llmGroups",
          "llamaThreads",
          "llamaParallel",
          "llmApiKeyEnv",
          "llmApiKeyFile",
          "maxFailureRatio",
          "input",
          "jobRetries",
          "jobRetryWaitSeconds",
          "llmMode",
          "llmBatchApi",
          "maxCostUsd",
          "prices");

  private RerunCheck() {}

  /** One thing asked that the finished run did otherwise. */
  record Difference(String what, String finished, String asked) {
    @Override
    public String toString() {
      return what + ": finished run " + finished + ", asked " + asked;
    }
  }

  /**
   * Whether {@code output} already holds this very run, finished: then there is nothing to do. A
   * different finished run there is a configuration error unless {@code overwrite}; a failed or
   * partly published one is run again (its paid answers come from the cache).
   */
  static boolean alreadyDone(
      Folder output,
      boolean overwrite,
      Supplier<ObjectNode> asked,
      PrintStream out,
      PrintStream err)
      throws IOException {
    Publisher.Held held = Publisher.held(output);
    if (held == Publisher.Held.SUCCEEDED && !overwrite) {
      List<Difference> diffs = differences(Manifest.read(output), asked.get());
      if (!diffs.isEmpty()) {
        throw new ConfigException(message(output.toString(), diffs));
      }
      out.println(
          "rolesynth: "
              + output
              + " already holds this run, finished ("
              + Manifest.FILE
              + " says succeeded, with the same pipeline, input and options); nothing to do."
              + " Pass --overwrite=true to make it again.");
      return true;
    }
    if (held == Publisher.Held.FAILED || held == Publisher.Held.PARTIAL) {
      err.println(
          "rolesynth: "
              + output
              + " holds a "
              + (held == Publisher.Held.FAILED ? "failed" : "partly published")
              + " run: running again (answers already paid for come from the cache) and replacing"
              + " it");
    }
    return false;
  }

  /** What this run would be, in the manifest's own terms. */
  static ObjectNode asked(
      String pipeline,
      String version,
      ObjectNode input,
      Map<String, String> templates,
      ObjectNode config) {
    ObjectNode m = Manifest.MAPPER.createObjectNode();
    m.put("pipeline", pipeline).put("pipelineVersion", version);
    m.set("input", input);
    m.set("promptTemplates", Manifest.MAPPER.valueToTree(templates));
    m.set("config", config);
    return m;
  }

  /**
   * Where the finished run and the asked one differ; empty when rerunning would make the same
   * records.
   */
  static List<Difference> differences(JsonNode finished, JsonNode asked) {
    List<Difference> out = new ArrayList<>();
    for (String field : List.of("pipeline", "pipelineVersion")) {
      compare(field, finished.path(field), asked.path(field), out);
    }
    JsonNode fi = finished.path("input");
    JsonNode ai = asked.path("input");
    if (!fi.isMissingNode()) { // manifests before the input's fingerprint cannot say
      compare("--input", fi.path("given"), ai.path("given"), out);
      if (fi.path("given").equals(ai.path("given"))) {
        compare(
            "input content (sha256 of its " + ai.path("files").asInt() + " files)",
            fi.path("sha256"),
            ai.path("sha256"),
            out);
      }
    }
    Map<String, JsonNode> ft = fields(finished.path("promptTemplates"));
    Map<String, JsonNode> at = fields(asked.path("promptTemplates"));
    at.keySet()
        .forEach(
            k -> ft.putIfAbsent(k, com.fasterxml.jackson.databind.node.MissingNode.getInstance()));
    ft.forEach((k, v) -> compare("prompt template " + k + " (sha256)", v, at.get(k), out));
    Map<String, JsonNode> fc = fields(finished.path("config"));
    Map<String, JsonNode> ac = fields(asked.path("config"));
    Set<String> keys = new TreeSet<>(fc.keySet());
    keys.addAll(ac.keySet());
    for (String k : keys) {
      if (!OPERATIONAL.contains(k)) {
        compare("--" + k, fc.get(k), ac.get(k), out);
      }
    }
    return out;
  }

  /** The one message for a changed run: what differs, with both values, and the two ways out. */
  static String message(String output, List<Difference> diffs) {
    StringBuilder s =
        new StringBuilder(output + " already holds a finished run made with other settings:");
    diffs.forEach(d -> s.append("\n  ").append(d));
    return s.append(
            "\nNothing was run. Write this run elsewhere with --output=OTHER_FOLDER, or replace the finished run"
                + " with --overwrite=true.")
        .toString();
  }

  /**
   * The input as the manifest records it: the {@code --input} given (a local path made absolute;
   * the pipeline's sample when none), how many files match, and a SHA-256 over every matched file's
   * name and bytes in name order, so an edited, added or removed pool file shows.
   */
  static ObjectNode fingerprint(String given, String pattern) throws IOException {
    List<MatchResult.Metadata> files = new ArrayList<>(FileSystems.match(pattern).metadata());
    files.sort(Comparator.comparing(md -> md.resourceId().toString()));
    Hasher h = Hashing.sha256().newHasher();
    byte[] buf = new byte[1 << 16];
    for (MatchResult.Metadata md : files) {
      h.putString(md.resourceId().getFilename(), StandardCharsets.UTF_8).putLong(md.sizeBytes());
      try (InputStream in = Channels.newInputStream(FileSystems.open(md.resourceId()))) {
        for (int n; (n = in.read(buf)) > 0; ) {
          h.putBytes(buf, 0, n);
        }
      }
    }
    String shown =
        given.isBlank()
            ? "(the pipeline's sample)"
            : given.matches("^[a-zA-Z][a-zA-Z0-9+.-]+://.*")
                ? given
                : Path.of(given).toAbsolutePath().normalize().toString();
    return Manifest.MAPPER
        .createObjectNode()
        .put("given", shown)
        .put("files", files.size())
        .put("sha256", h.hash().toString());
  }

  private static void compare(
      String what, JsonNode finished, JsonNode asked, List<Difference> out) {
    JsonNode f =
        finished == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : finished;
    JsonNode a =
        asked == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : asked;
    if (!same(f, a)) {
      out.add(new Difference(what, show(f), show(a)));
    }
  }

  /** Numbers compare by value (a manifest's 0.5 and an option's 0.50 are the same setting). */
  private static boolean same(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    return a.equals(b);
  }

  private static String show(JsonNode n) {
    return n.isMissingNode() ? "(not set)" : n.isTextual() ? "'" + n.asText() + "'" : n.toString();
  }

  private static Map<String, JsonNode> fields(JsonNode n) {
    Map<String, JsonNode> out = new TreeMap<>();
    n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }
}
