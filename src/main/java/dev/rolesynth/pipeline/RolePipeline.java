package dev.rolesynth.pipeline;

import dev.rolesynth.options.RolesynthOptions;
import dev.rolesynth.pool.Role;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.beam.sdk.values.PCollection;

/** A pipeline the launcher can run: its options, its sample pool and how it turns roles into records. */
public interface RolePipeline {
  String name();

  Class<? extends RolesynthOptions> optionsType();

  /** Classpath resource of the shipped sample pool, used when --input is empty. */
  String samplePool();

  /** Checks the pipeline's own options and loads its templates; throws ConfigException, makes no call. */
  Plan plan(RolesynthOptions options);

  interface Plan {
    Map<String, String> templateHashes();

    Outputs<?> build(PCollection<Role> roles, RunInfo run);
  }

  /** What a pipeline writes: Avro records, their JSONL form, and its failures. */
  record Outputs<T extends SpecificRecordBase>(
      PCollection<T> records, Class<T> type, String prefix, PCollection<String> jsonl, PCollection<Failure> failures) {}
}
