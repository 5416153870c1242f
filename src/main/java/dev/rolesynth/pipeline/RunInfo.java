package dev.rolesynth.pipeline;

import dev.rolesynth.llm.LlmConfig;
import java.io.Serializable;
import java.util.Map;

/** Facts about the run that every record's provenance repeats. */
public record RunInfo(
    String pipeline, String pipelineVersion, String runId, long seed, LlmConfig llm, String endpointKind,
    Map<String, String> templateHashes, int llmGroups)
    implements Serializable {
  public RunInfo {
    // Sorted, not Map.copyOf: its iteration order changes from JVM to JVM, and records must not.
    templateHashes = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(templateHashes));
  }

  public boolean simulated() {
    return llm.simulated();
  }

  /** The provenance of a record made from the input record at {@code origin} by {@code llmCalls} calls. */
  public dev.rolesynth.avro.Provenance provenance(dev.rolesynth.pool.Origin origin, java.util.List<String> warnings,
      int llmCalls) {
    return new dev.rolesynth.avro.Provenance(pipeline, pipelineVersion, llm.model(), endpointKind, simulated(),
        new java.util.LinkedHashMap<>(templateHashes), seed, runId, origin.file(), origin.line(), llmCalls, warnings);
  }
}
