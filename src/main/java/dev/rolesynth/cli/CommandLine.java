package dev.rolesynth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rolesynth.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges a YAML run config into the command line: the YAML's keys become {@code --key=value}
 * arguments and flags given on the command line win, so options have one parsing path (Beam's).
 */
final class CommandLine {
  private CommandLine() {}

  static Map<String, String> parseFlags(String[] args) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String a : args) {
      if (a == null || a.isBlank()) {
        continue;
      }
      if (!a.startsWith("--")) {
        throw new ConfigException(
            "unexpected argument '" + a + "': options look like --name=value");
      }
      int eq = a.indexOf('=');
      out.put(eq < 0 ? a.substring(2) : a.substring(2, eq), eq < 0 ? "true" : a.substring(eq + 1));
    }
    return out;
  }

  /** The arguments Beam should parse: config values, then command-line values over them. */
  static String[] merge(String[] args) {
    Map<String, String> flags = parseFlags(args);
    Map<String, String> merged = new LinkedHashMap<>();
    String config = flags.getOrDefault("config", "");
    if (!config.isBlank()) {
      merged.putAll(readYaml(Path.of(config)));
    }
    flags.forEach(
        (k, v) -> {
          // An empty -Dconfig / -Dpipeline from the Maven defaults must not erase a config value.
          if (!v.isEmpty() || !merged.containsKey(k)) {
            merged.put(k, v);
          }
        });
    List<String> out = new ArrayList<>();
    merged.forEach((k, v) -> out.add("--" + k + "=" + v));
    return out.toArray(String[]::new);
  }

  /**
   * The runner when none is chosen: embedded Flink, which runs these pipelines several times faster
   * than the DirectRunner (docs/BENCHMARKS.md); {@code --runner=DirectRunner} is one flag away.
   */
  static final String DEFAULT_RUNNER = "FlinkRunner";

  static String[] withDefaultRunner(String[] args) {
    List<String> out = new ArrayList<>();
    boolean given = false;
    for (String a : args) {
      if (a.equals("--runner=")) {
        continue; // Maven's empty -Drunner
      }
      given |= a.startsWith("--runner=");
      out.add(a);
    }
    if (!given) {
      out.add("--runner=" + DEFAULT_RUNNER);
    }
    return out.toArray(String[]::new);
  }

  static Map<String, String> readYaml(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("--config file " + file + " does not exist");
    }
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (IOException e) {
      throw new ConfigException(
          "--config file " + file + " is not valid YAML: " + e.getMessage().split("\n")[0]);
    }
    Map<String, String> out = new LinkedHashMap<>();
    if (root == null || root.isMissingNode() || root.isNull()) {
      return out;
    }
    if (!root.isObject()) {
      throw new ConfigException(
          "--config file " + file + " must be a mapping of option names to values");
    }
    Iterator<Map.Entry<String, JsonNode>> it = root.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().isContainerNode()) {
        throw new ConfigException(
            "--config file " + file + ": option '" + e.getKey() + "' must be a single value");
      }
      out.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText());
    }
    return out;
  }
}
