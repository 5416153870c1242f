package dev.rolesynth.cli;

import dev.rolesynth.options.RolesynthOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.beam.runners.flink.FlinkPipelineOptions;

/**
 * How rolesynth runs its jobs on Flink, unless the user chose otherwise. Records move on to their
 * next call as soon as theirs is done, with no stage waiting for the last call of the one before:
 * every exchange is pipelined ({@code PIPELINED_FORCED}). Flink's default would block the exchanges
 * where a flow branches and joins again, which every stage's dead letters do; the one real deadlock
 * of forced pipelining (a side input made from its own main input) is dammed where the pipelines
 * use side inputs ({@code HoldUntilComplete}). Every task of a pipelined job runs at once, so the
 * embedded cluster gets network memory for them (Flink's local default of 64 MB is short for the
 * longer pipelines and says so in a warning); a cluster's own configuration says what it has.
 */
final class FlinkSettings {
  static final String NETWORK_MEMORY = "256mb";
  static final String SEGMENT = System.getProperty("rolesynth.segment", "4kb");
  private static Path embedded;

  private FlinkSettings() {}

  static void apply(RolesynthOptions options, Map<String, String> flags, boolean remote) {
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    if (!flags.containsKey("fasterCopy")) {
      flink.setFasterCopy(
          true); // elements are never changed after they are emitted: no copies between operators
    }
    if (!flags.containsKey("executionModeForBatch")) {
      flink.setExecutionModeForBatch("PIPELINED_FORCED");
    }
    if (!remote && !flags.containsKey("flinkConfDir") && System.getenv("FLINK_CONF_DIR") == null) {
      flink.setFlinkConfDir(embeddedConfig().toString());
    }
  }

  /** A configuration folder for the embedded cluster, written once per JVM. */
  private static synchronized Path embeddedConfig() {
    if (embedded != null && Files.isRegularFile(embedded.resolve("config.yaml"))) {
      return embedded;
    }
    try {
      Path dir = Files.createTempDirectory("rolesynth-flink-conf");
      Files.writeString(
          dir.resolve("config.yaml"),
          "taskmanager.memory.segment-size: "
              + SEGMENT
              + "\n"
              + "taskmanager.memory.network.min: "
              + NETWORK_MEMORY
              + "\n"
              + "taskmanager.memory.network.max: "
              + NETWORK_MEMORY
              + "\n");
      dir.resolve("config.yaml").toFile().deleteOnExit();
      dir.toFile().deleteOnExit();
      embedded = dir;
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the embedded Flink cluster's configuration", e);
    }
  }
}
