package dev.rolesynth.pipeline;

import dev.rolesynth.pool.Origin;
import dev.rolesynth.pool.PoolRecord;
import java.io.Serializable;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Top;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * {@code --limit=N}: the first N usable records in file order (files by name, then line), and of
 * the unusable lines only those among the lines read to find them. A bad or repeated line after the
 * Nth usable record was never taken by the run: it is counted as skipped by the limit, not as a
 * failure.
 */
final class TakeFirstRecords {
  /** Lines after the cut that would have been dead letters had the run read that far. */
  static final String SKIPPED_FAILURES = "input.failuresAfterLimit";

  private TakeFirstRecords() {}

  static <T extends PoolRecord> WithFailures.Result<PCollection<T>, Failure> of(
      int limit, PCollection<T> records, PCollection<Failure> failures) {
    Coder<T> coder = records.getCoder();
    PCollection<List<T>> first = records.apply("TakeFirstN", Top.of(limit, new LaterFirst<T>()));
    PCollection<T> taken = first.apply("Unbatch", Flatten.iterables()).setCoder(coder);
    PCollectionView<Origin> cut =
        first
            .apply("LastLineRead", ParDo.of(new LastLineFn<T>(limit)))
            .setCoder(KryoCoder.of(Origin.class))
            .apply("AsCut", View.<Origin>asSingleton().withDefaultValue(null));
    PCollection<Failure> kept =
        failures
            .apply("WaitForTheCut", HoldUntilComplete.of())
            .apply("KeepFailuresBeforeCut", ParDo.of(new BeforeCutFn(cut)).withSideInputs(cut))
            .setCoder(KryoCoder.of(Failure.class));
    return WithFailures.Result.of(taken, kept);
  }

  /**
   * The origin of the Nth record: where reading stopped. Fewer than N usable records: all was read.
   */
  static final class LastLineFn<T extends PoolRecord> extends DoFn<List<T>, Origin> {
    private final int limit;

    LastLineFn(int limit) {
      this.limit = limit;
    }

    @ProcessElement
    public void process(@Element List<T> first, OutputReceiver<Origin> out) {
      if (first.size() >= limit) {
        out.output(first.stream().map(PoolRecord::origin).max(ReadPool.ORIGINS).orElseThrow());
      }
    }
  }

  static final class BeforeCutFn extends DoFn<Failure, Failure> {
    private final PCollectionView<Origin> cut;
    private final Counter skipped = Metrics.counter(CallLlm.METRICS, SKIPPED_FAILURES);

    BeforeCutFn(PCollectionView<Origin> cut) {
      this.cut = cut;
    }

    @ProcessElement
    public void process(@Element Failure f, ProcessContext c) {
      Origin last = c.sideInput(cut);
      if (last == null || f.origin() == null || ReadPool.ORIGINS.compare(f.origin(), last) <= 0) {
        c.output(f);
      } else {
        skipped.inc();
      }
    }
  }

  /** Reversed file order, since Top keeps the largest. */
  static final class LaterFirst<T extends PoolRecord> implements Comparator<T>, Serializable {
    @Override
    public int compare(T a, T b) {
      return ReadPool.ORIGINS.compare(b.origin(), a.origin());
    }
  }
}
