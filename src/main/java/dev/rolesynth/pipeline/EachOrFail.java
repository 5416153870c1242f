package dev.rolesynth.pipeline;

import java.io.Serializable;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * A step without an LLM call that makes what it can of each element and says why for what it
 * cannot: each element gives outputs, or dead letters with the method's reason, never nothing
 * unseen. Optionally with one side input (a whole pool, say). Apply it through {@link
 * Build#collect} and its dead letters are collected.
 */
public final class EachOrFail<I, S, O extends Serializable>
    extends PTransform<PCollection<I>, WithFailures.Result<PCollection<O>, Failure>> {
  /** Where a step puts what it made of an element, or why it made nothing. */
  public interface Out<O> {
    void output(O value);

    void fail(Failure failure);
  }

  /** The step, given the element, the side input (null without one) and where to put results. */
  public interface Fn<I, S, O> extends Serializable {
    void apply(I element, S side, Out<O> out);
  }

  private final Class<O> type;
  private final PCollectionView<S> side;
  private final Fn<I, S, O> fn;

  private EachOrFail(Class<O> type, PCollectionView<S> side, Fn<I, S, O> fn) {
    this.type = type;
    this.side = side;
    this.fn = fn;
  }

  public static <I, O extends Serializable> EachOrFail<I, Void, O> of(
      Class<O> type, Fn<I, Void, O> fn) {
    return new EachOrFail<>(type, null, fn);
  }

  public static <I, S, O extends Serializable> EachOrFail<I, S, O> with(
      PCollectionView<S> side, Class<O> type, Fn<I, S, O> fn) {
    return new EachOrFail<>(type, side, fn);
  }

  @Override
  public WithFailures.Result<PCollection<O>, Failure> expand(PCollection<I> in) {
    TupleTag<O> made = new TupleTag<>();
    TupleTag<Failure> failed = new TupleTag<>();
    ParDo.MultiOutput<I, O> step =
        ParDo.of(new StepFn<>(fn, side, failed)).withOutputTags(made, TupleTagList.of(failed));
    PCollectionTuple out = in.apply("Each", side == null ? step : step.withSideInputs(side));
    return WithFailures.Result.of(
        out.get(made).setCoder(KryoCoder.of(type)),
        out.get(failed).setCoder(KryoCoder.of(Failure.class)));
  }

  private static final class StepFn<I, S, O extends Serializable> extends DoFn<I, O> {
    private final Fn<I, S, O> fn;
    private final PCollectionView<S> side;
    private final TupleTag<Failure> failed;

    StepFn(Fn<I, S, O> fn, PCollectionView<S> side, TupleTag<Failure> failed) {
      this.fn = fn;
      this.side = side;
      this.failed = failed;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      S s = side == null ? null : c.sideInput(side);
      fn.apply(
          c.element(),
          s,
          new Out<>() {
            @Override
            public void output(O value) {
              c.output(value);
            }

            @Override
            public void fail(Failure failure) {
              c.output(failed, failure);
            }
          });
    }
  }
}
