package dev.rolesynth.pipeline;

import java.io.Serializable;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * A method's filter step: keeps the elements a check passes and turns the others into dead letters
 * carrying the method's reason (a filter decision, counted apart from failures when the pipeline
 * declares the reason in {@code RolePipeline.filterReasons()}), so that nothing is dropped unseen.
 */
public final class KeepIf<T>
    extends PTransform<PCollection<T>, WithFailures.Result<PCollection<T>, Failure>> {
  /** The dead letter for an element that does not pass, or null to keep it. */
  public interface Check<T> extends Serializable {
    Failure reject(T element);
  }

  private final Check<T> check;

  private KeepIf(Check<T> check) {
    this.check = check;
  }

  public static <T> KeepIf<T> passing(Check<T> check) {
    return new KeepIf<>(check);
  }

  @Override
  public WithFailures.Result<PCollection<T>, Failure> expand(PCollection<T> in) {
    TupleTag<T> kept = new TupleTag<>();
    TupleTag<Failure> rejected = new TupleTag<>();
    PCollectionTuple out =
        in.apply(
            "Check",
            ParDo.of(new CheckFn<>(check, kept, rejected))
                .withOutputTags(kept, TupleTagList.of(rejected)));
    return WithFailures.Result.of(
        out.get(kept).setCoder(in.getCoder()),
        out.get(rejected).setCoder(KryoCoder.of(Failure.class)));
  }

  private static final class CheckFn<T> extends DoFn<T, T> {
    private final Check<T> check;
    private final TupleTag<T> kept;
    private final TupleTag<Failure> rejected;

    CheckFn(Check<T> check, TupleTag<T> kept, TupleTag<Failure> rejected) {
      this.check = check;
      this.kept = kept;
      this.rejected = rejected;
    }

    @ProcessElement
    public void process(@Element T element, MultiOutputReceiver out) {
      Failure f = check.reject(element);
      if (f == null) {
        out.get(kept).output(element);
      } else {
        out.get(rejected).output(f);
      }
    }
  }
}
