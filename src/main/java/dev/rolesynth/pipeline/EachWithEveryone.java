package dev.rolesynth.pipeline;

import java.io.Serializable;
import java.util.List;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * A step on each element that sees every element of the collection (a character meeting the run's
 * others, a seeker drawing supporters): the collection as a side input, the main input held until
 * it is complete ({@link HoldUntilComplete}), and what fails a dead letter.
 */
public final class EachWithEveryone<T, O extends Serializable>
    extends PTransform<PCollection<T>, WithFailures.Result<PCollection<O>, Failure>> {
  private final Class<O> type;
  private final EachOrFail.Fn<T, List<T>, O> fn;

  private EachWithEveryone(Class<O> type, EachOrFail.Fn<T, List<T>, O> fn) {
    this.type = type;
    this.fn = fn;
  }

  public static <T, O extends Serializable> EachWithEveryone<T, O> of(
      Class<O> type, EachOrFail.Fn<T, List<T>, O> fn) {
    return new EachWithEveryone<>(type, fn);
  }

  @Override
  public WithFailures.Result<PCollection<O>, Failure> expand(PCollection<T> in) {
    PCollectionView<List<T>> everyone = in.apply("EveryoneAsSideInput", View.asList());
    return in.apply("WaitForEveryone", HoldUntilComplete.of())
        .apply("EachWithEveryone", EachOrFail.with(everyone, type, fn));
  }
}
