package dev.rolesynth.pipeline;

import java.util.List;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/** The dead letters of a recipe's steps, gathered into the one collection its plan returns. */
public final class Failures {
  private Failures() {}

  public static PCollection<Failure> flatten(String name, List<PCollection<Failure>> parts) {
    return PCollectionList.of(parts)
        .apply(name, Flatten.pCollections())
        .setCoder(KryoCoder.of(Failure.class));
  }
}
