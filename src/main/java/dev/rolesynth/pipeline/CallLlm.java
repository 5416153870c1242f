package dev.rolesynth.pipeline;

import dev.rolesynth.llm.CallOutcome;
import dev.rolesynth.llm.ChatRequest;
import dev.rolesynth.llm.LlmClient;
import dev.rolesynth.llm.LlmClients;
import dev.rolesynth.llm.LlmConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Runs an {@link LlmTask} over a collection: every element becomes output or a {@link Failure},
 * never an exception that kills the job and never nothing.
 *
 * <p>Calls stay in flight across elements for a whole bundle, as many as the JVM's {@link
 * LlmClient} wants ({@link LlmClient#wantsMore}: the rate in force times the latency observed), so
 * the calls in flight do not depend on how records are grouped. A record's result moves on as soon
 * as its call is done: on Flink, where a bundle is a task's whole share, the next stage's calls
 * start while this stage's last ones are still out. Only the DirectRunner, whose bundles after a
 * grouping hold one key each, gets its elements spread over {@code groups} groups first, so that
 * its bundles hold many.
 *
 * <p>Calls are at least once: a runner that retries a bundle repeats its calls.
 */
public final class CallLlm<I, O>
    extends PTransform<PCollection<I>, WithFailures.Result<PCollection<O>, Failure>> {
  public static final String METRICS = "rolesynth";

  /**
   * How long a wait for a call's end lasts before the DoFn looks again (whether the client wants
   * more).
   */
  static final long POLL_MILLIS = 50;

  private final LlmTask<I, O> task;
  private final LlmConfig config;
  private final Coder<O> outputCoder;
  private final int groups;

  private CallLlm(LlmTask<I, O> task, LlmConfig config, Coder<O> outputCoder, int groups) {
    this.task = task;
    this.config = config;
    this.outputCoder = outputCoder;
    this.groups = groups;
  }

  public static <I, O> CallLlm<I, O> of(
      LlmTask<I, O> task, LlmConfig config, Coder<O> outputCoder, int groups) {
    return new CallLlm<>(task, config, outputCoder, Math.max(1, groups));
  }

  @Override
  public WithFailures.Result<PCollection<O>, Failure> expand(PCollection<I> input) {
    TupleTag<O> outputs = new TupleTag<>();
    TupleTag<Failure> failures = new TupleTag<>();
    PCollection<I> items = input;
    if (input.getPipeline().getOptions().getRunner().getSimpleName().equals("DirectRunner")) {
      items = input.apply("GatherIntoBundles", GatherIntoBundles.of(task, groups));
    }
    PCollectionTuple result =
        items.apply(
            "Call",
            ParDo.of(new CallFn<>(task, config, outputs, failures))
                .withOutputTags(outputs, TupleTagList.of(failures)));
    return WithFailures.Result.of(
        result.get(outputs).setCoder(outputCoder),
        result.get(failures).setCoder(KryoCoder.of(Failure.class)));
  }

  /** Where a finished call's results go: the current element's receiver, or the bundle's end. */
  interface Emit<O> {
    void output(O value);

    void failure(Failure f);
  }

  /** Sends calls concurrently across a bundle and emits results from the processing thread only. */
  static final class CallFn<I, O> extends DoFn<I, O> {
    private final LlmTask<I, O> task;
    private final LlmConfig config;
    private final TupleTag<O> outputs;
    private final TupleTag<Failure> failures;
    private final CallMetrics metrics = new CallMetrics();
    private transient LlmClient client;
    private transient Batch batch;

    CallFn(LlmTask<I, O> task, LlmConfig config, TupleTag<O> outputs, TupleTag<Failure> failures) {
      this.task = task;
      this.config = config;
      this.outputs = outputs;
      this.failures = failures;
    }

    @Setup
    public void setup() {
      LlmClients.useCacheStores(BeamCacheStore::new);
      client = LlmClients.shared(config);
      dev.rolesynth.llm.LoaderWatch.whenClosed(FileSystemThreads.STOP);
    }

    @Teardown
    public void teardown() {
      if (batch != null) {
        batch.cancel(); // torn down mid-bundle: the job was cancelled or failed
        batch = null;
      }
      if (client != null) {
        LlmClients.release(config);
        client = null;
      }
    }

    /** A finished call: its outcome, or what broke the client's thread (out of memory, say). */
    private record Done<I>(I input, CallOutcome outcome, Throwable broken) {}

    /** One bundle's calls: those in flight, those done and waiting to be handled on this thread. */
    private final class Batch {
      final BlockingQueue<Done<I>> done = new LinkedBlockingQueue<>();
      final Set<CompletableFuture<?>> open = ConcurrentHashMap.newKeySet();
      int submitted;
      int finished;

      /**
       * The job is going away (cancelled, failed): calls not yet sent are taken back, never paid
       * for.
       */
      void cancel() {
        open.forEach(f -> f.cancel(true));
      }

      /** Sends one call, or makes a dead letter when its request cannot even be rendered. */
      void submit(I item, Emit<O> out) {
        ChatRequest request;
        try {
          request = task.request(item);
        } catch (RuntimeException e) {
          fail(out, item, "prompt_error", e.getMessage(), this);
          return;
        }
        submitted++;
        // Every call reports back, even one whose thread broke: a call that never reports would
        // park
        // this DoFn for ever instead of failing the job.
        CompletableFuture<CallOutcome> call = client.submit(request, task.check(item));
        open.add(call);
        call.whenComplete(
            (outcome, broken) -> {
              open.remove(call);
              if (!call.isCancelled()) {
                done.add(new Done<>(item, outcome, broken));
              }
            });
      }

      void drain(Emit<O> out) {
        Done<I> d;
        while ((d = done.poll()) != null) {
          finish(d, out);
        }
      }

      /** Handles a finished call; a follow-up call it leads to goes out at once. */
      void finish(Done<I> d, Emit<O> out) {
        if (d.broken() != null) {
          throw new IllegalStateException(
              task.stage() + ": an LLM call broke off: " + d.broken(), d.broken());
        }
        finished++;
        handle(d, out, this);
      }

      /** Waits up to {@link #POLL_MILLIS} for a call to end, and handles it. */
      void awaitOne(Emit<O> out) throws InterruptedException {
        Done<I> d = done.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        if (d != null) {
          finish(d, out);
        }
      }
    }

    @StartBundle
    public void startBundle() {
      batch = new Batch();
    }

    @ProcessElement
    public void process(@Element I item, MultiOutputReceiver out) throws InterruptedException {
      Emit<O> emit =
          new Emit<>() {
            @Override
            public void output(O value) {
              out.get(outputs).output(value);
            }

            @Override
            public void failure(Failure f) {
              out.get(failures).output(f);
            }
          };
      List<O> direct = task.withoutCall(item);
      if (direct != null) {
        direct.forEach(emit::output);
        return;
      }
      try {
        // As many calls out as the client wants (the rate in force × the latency), whatever the
        // bundle.
        while (!client.wantsMore()) {
          batch.awaitOne(emit);
        }
        batch.submit(item, emit);
        batch.drain(emit);
      } catch (InterruptedException | RuntimeException e) {
        batch.cancel(); // the task is being cancelled, or failed: nothing more is sent for it
        throw e;
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) throws InterruptedException {
      Emit<O> emit =
          new Emit<>() {
            @Override
            public void output(O value) {
              c.output(outputs, value, BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE);
            }

            @Override
            public void failure(Failure f) {
              c.output(failures, f, BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE);
            }
          };
      try {
        while (batch.finished < batch.submitted) {
          batch.awaitOne(
              emit); // each call ends by its own bounds: timeouts, attempts, rate-limit patience
        }
      } catch (InterruptedException | RuntimeException e) {
        batch.cancel();
        throw e;
      }
      batch = null;
      try {
        client.flushCache(); // what this bundle paid for is durable before its output moves on
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the response cache", e);
      }
    }

    private void handle(Done<I> d, Emit<O> out, Batch batch) {
      metrics.record(d.outcome().stats(), client.throttle());
      if (!d.outcome().ok()) {
        if (client.keyRefused()) {
          throw new KeyRefusedException(
              d.outcome().error().reason() + ": " + d.outcome().error().getMessage());
        }
        metrics.failed();
        fail(out, d.input(), d.outcome().error().reason(), d.outcome().error().getMessage(), batch);
        return;
      }
      List<O> parsed;
      try {
        parsed = task.parse(d.input(), d.outcome());
      } catch (RuntimeException e) {
        fail(out, d.input(), "unusable_answer", e.getMessage(), batch);
        return;
      }
      emit(parsed, out, batch);
    }

    /**
     * Output moves on, unless the task has a follow-up call for it (the next turn of a dialogue).
     */
    private void emit(List<O> results, Emit<O> out, Batch batch) {
      for (O o : results) {
        I next = task.followUp(o);
        if (next == null) {
          out.output(o);
        } else {
          batch.submit(next, out);
        }
      }
    }

    private void fail(Emit<O> out, I item, String reason, String detail, Batch batch) {
      out.failure(
          new Failure(
              task.recordId(item),
              task.callId(item),
              task.stage(item),
              reason,
              detail,
              task.origin(item)));
      emit(task.onFailure(item), out, batch);
    }
  }
}
