package dev.rolesynth.pipeline;

import java.io.Serializable;
import java.util.List;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;

/** Each record into the records it leads to (the tasks of a role, say): none, one or many. */
public final class FanOut<I, O extends Serializable>
    extends PTransform<PCollection<I>, PCollection<O>> {
  private final Class<O> type;
  private final Stage.Fn<I, List<O>> fn;

  private FanOut(Class<O> type, Stage.Fn<I, List<O>> fn) {
    this.type = type;
    this.fn = fn;
  }

  public static <I, O extends Serializable> FanOut<I, O> into(
      Class<O> type, Stage.Fn<I, List<O>> fn) {
    return new FanOut<>(type, fn);
  }

  @Override
  public PCollection<O> expand(PCollection<I> input) {
    return input
        .apply("Each", FlatMapElements.into(TypeDescriptor.of(type)).via((I i) -> fn.apply(i)))
        .setCoder(KryoCoder.of(type));
  }
}
