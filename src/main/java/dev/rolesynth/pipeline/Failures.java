package dev.rolesynth.pipeline;

import java.util.List;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/**
 * The dead letters of a recipe's steps, gathered by {@link Build} (only there) into the one
 * collection a run writes.
 */
final class Failures {
  private Failures() {}

  static PCollection<Failure> flatten(String name, List<PCollection<Failure>> parts) {
    return PCollectionList.of(parts)
        .apply(name, Flatten.pCollections())
        .setCoder(KryoCoder.of(Failure.class));
  }
}
