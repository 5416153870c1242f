package dev.rolesynth.cli;

import dev.rolesynth.options.RolesynthOptions;
import dev.rolesynth.pipeline.Failure;
import dev.rolesynth.pipeline.Folder;
import dev.rolesynth.pipeline.Ledger;
import dev.rolesynth.pipeline.ReadPool;
import dev.rolesynth.pipeline.RolePipeline;
import dev.rolesynth.pipeline.RunInfo;
import dev.rolesynth.pipeline.WriteOutputs;
import dev.rolesynth.pool.PoolRecord;
import dev.rolesynth.pool.RecordMapper;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/**
 * One run's Beam job: the pool read, the method's stages, the outputs staged, and how it is
 * submitted.
 */
final class JobGraph {
  private JobGraph() {}

  /** Builds the job's graph into {@code p}; returns the name of its primary dataset. */
  static <T extends PoolRecord> String build(
      Pipeline p,
      RolePipeline<T> pipeline,
      RolesynthOptions options,
      RolePipeline.Plan<T> plan,
      RecordMapper<T> mapper,
      RunInfo run,
      RunPlan runPlan,
      Folder staging) {
    Nightly nightly = runPlan.nightly();
    ReadPool<T> read =
        ReadPool.from(runPlan.input(), options.getInputFormat(), mapper, options.getLimit())
            .withMaxRecordBytes(options.getMaxRecordBytes());
    var records =
        p.apply(
            "ReadPool", nightly.incremental() ? read.withoutPublished(nightly.ledgerGlob()) : read);
    RolePipeline.Outputs outputs = plan.build(records.output(), run);
    WriteOutputs.write(
        outputs, records.failures(), staging.toString(), pipeline.filterReasons(), run.simulated());
    if (nightly.incremental()) {
      PCollection<Failure> all =
          PCollectionList.of(outputs.failures())
              .and(records.failures())
              .apply("FailuresForLedger", Flatten.pCollections());
      Ledger.lines(records.output(), all, pipeline.filterReasons())
          .apply(
              "WriteLedger", TextIO.write().to(staging.path(".ledger/lines")).withSuffix(".jsonl"));
    }
    return outputs.datasets().get(0).name();
  }

  /**
   * Runs {@code submit} on a thread with a large stack: Flink copies a job graph with Java
   * serialization, recursing once per stage along a path, and a long unrolled pipeline
   * (CharacterChat's dialogue loop: three stages per utterance) overflows a default thread stack.
   */
  static <T> T onLargeStack(Callable<T> submit) throws Exception {
    AtomicReference<T> out = new AtomicReference<>();
    AtomicReference<Throwable> failed = new AtomicReference<>();
    Thread t =
        new Thread(
            null,
            () -> {
              try {
                out.set(submit.call());
              } catch (Throwable e) {
                failed.set(e);
              }
            },
            "rolesynth-submit",
            256L << 20);
    t.start();
    t.join();
    Throwable e = failed.get();
    if (e instanceof Exception x) {
      throw x;
    }
    if (e != null) {
      throw (Error) e;
    }
    return out.get();
  }
}
