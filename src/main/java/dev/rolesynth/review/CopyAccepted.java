package dev.rolesynth.review;

import dev.rolesynth.pipeline.RolePipeline.Dataset;
import dev.rolesynth.pipeline.RolePipeline.Renderings;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.avro.io.AvroIO;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;

/**
 * The accepted-only copy of one dataset: its records whose ids reviewers accepted, written as the
 * run wrote them (Avro shards and the pipeline's own JSONL renderings), so a training job can take
 * the copy as it would the run.
 */
final class CopyAccepted {
  private CopyAccepted() {}

  static <R extends SpecificRecordBase> Dataset<R> of(
      Pipeline p,
      String dataset,
      String avroGlob,
      Renderings<R> renderings,
      Set<String> acceptedIds) {
    PCollection<R> kept =
        p.apply("Read " + dataset, AvroIO.read(renderings.type()).from(avroGlob))
            .apply("Keep accepted " + dataset, Filter.by(new IdIn<R>(acceptedIds)));
    return new Dataset<>(dataset, kept, renderings);
  }

  static final class IdIn<R extends SpecificRecordBase>
      implements SerializableFunction<R, Boolean> {
    private final Set<String> ids;

    IdIn(Set<String> ids) {
      this.ids = new TreeSet<>(ids);
    }

    @Override
    public Boolean apply(R record) {
      return ids.contains(String.valueOf(record.get("id")));
    }
  }
}
