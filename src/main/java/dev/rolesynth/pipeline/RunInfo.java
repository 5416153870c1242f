package dev.rolesynth.pipeline;

import dev.rolesynth.avro.Provenance;
import dev.rolesynth.llm.LlmConfig;
import dev.rolesynth.pool.Origin;
import dev.rolesynth.pool.Traced;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Facts about the run that every record's provenance repeats. */
public record RunInfo(
    String pipeline,
    String pipelineVersion,
    String runId,
    long seed,
    LlmConfig llm,
    String endpointKind,
    Map<String, String> templateHashes,
    int llmGroups)
    implements Serializable {
  public RunInfo {
    // Sorted, not Map.copyOf: its iteration order changes from JVM to JVM, and records must not.
    templateHashes = Collections.unmodifiableMap(new TreeMap<>(templateHashes));
  }

  public boolean simulated() {
    return llm.simulated();
  }

  /** The provenance of a record made from {@code record}'s input by {@code llmCalls} calls. */
  public Provenance provenance(Traced record, int llmCalls) {
    return provenance(record.origin(), record.warnings(), llmCalls);
  }

  /**
   * The provenance of a record made from the input record at {@code origin} by {@code llmCalls}
   * calls.
   */
  public Provenance provenance(Origin origin, List<String> warnings, int llmCalls) {
    return new Provenance(
        pipeline,
        pipelineVersion,
        llm.model(),
        endpointKind,
        simulated(),
        new LinkedHashMap<>(templateHashes),
        seed,
        runId,
        origin.file(),
        origin.line(),
        llmCalls,
        warnings);
  }

  /**
   * The transform that takes records through a chain of stages under this run's LLM settings,
   * outputs coded with Kryo.
   */
  public <I, O extends Serializable> Chain.Call<I, O> chain(Chain<I, O> chain, Class<O> type) {
    return new Chain.Call<>(chain, llm, KryoCoder.of(type), llmGroups);
  }

  /**
   * The transform that makes {@code task}'s calls under this run's LLM settings, its outputs coded
   * with Kryo.
   */
  public <I, O extends Serializable> CallLlm<I, O> call(LlmTask<I, O> task, Class<O> type) {
    return CallLlm.of(task, llm, KryoCoder.of(type), llmGroups);
  }
}
