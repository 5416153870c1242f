package dev.rolesynth.pipeline;

import dev.rolesynth.llm.CallOutcome;
import dev.rolesynth.llm.CallStats;
import dev.rolesynth.llm.ChatRequest;
import dev.rolesynth.llm.LlmClient;
import dev.rolesynth.llm.LlmClients;
import dev.rolesynth.llm.LlmConfig;
import dev.rolesynth.llm.Throttle;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Runs an {@link LlmTask} over a collection: every element becomes output or a {@link Failure},
 * never an exception that kills the job and never nothing.
 *
 * <p>Elements are spread over a fixed number of groups (a fusion break before the slow step), and
 * each group is worked through with many calls in flight at once, so latency is hidden regardless
 * of how the runner cuts bundles. The per-JVM {@link LlmClient} holds the rate budgets and the
 * concurrency limit; this transform only keeps enough work queued to use them.
 *
 * <p>Calls are at least once: a runner that retries a bundle repeats its calls.
 */
public final class CallLlm<I, O> extends PTransform<PCollection<I>, WithFailures.Result<PCollection<O>, Failure>> {
  public static final String METRICS = "rolesynth";
  /** Calls one group keeps queued; the shared client decides how many actually run at once. */
  static final int MAX_QUEUED_PER_GROUP = 128;

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

  public static <I, O> CallLlm<I, O> of(LlmTask<I, O> task, LlmConfig config, Coder<O> outputCoder, int groups) {
    return new CallLlm<>(task, config, outputCoder, Math.max(1, groups));
  }

  @Override
  public WithFailures.Result<PCollection<O>, Failure> expand(PCollection<I> input) {
    TupleTag<O> outputs = new TupleTag<>();
    TupleTag<Failure> failures = new TupleTag<>();
    PCollectionTuple result =
        input
            .apply("Spread", ParDo.of(new SpreadFn<>(task, groups)))
            .setCoder(KvCoder.of(VarIntCoder.of(), input.getCoder()))
            .apply("Group", GroupByKey.create())
            .apply(
                "Call",
                ParDo.of(new CallFn<>(task, config, outputs, failures))
                    .withOutputTags(outputs, TupleTagList.of(failures)));
    return WithFailures.Result.of(
        result.get(outputs).setCoder(outputCoder),
        result.get(failures).setCoder(KryoCoder.of(Failure.class)));
  }

  /** Keys each element by a stable hash of its call id. */
  static final class SpreadFn<I> extends DoFn<I, KV<Integer, I>> {
    private final LlmTask<I, ?> task;
    private final int groups;

    SpreadFn(LlmTask<I, ?> task, int groups) {
      this.task = task;
      this.groups = groups;
    }

    @ProcessElement
    public void process(@Element I element, OutputReceiver<KV<Integer, I>> out) {
      out.output(KV.of(Math.floorMod(task.callId(element).hashCode(), groups), element));
    }
  }

  /** Sends a group's calls concurrently and emits results from the processing thread only. */
  static final class CallFn<I, O> extends DoFn<KV<Integer, Iterable<I>>, O> {
    private final LlmTask<I, O> task;
    private final LlmConfig config;
    private final TupleTag<O> outputs;
    private final TupleTag<Failure> failures;
    private final Counter requests = Metrics.counter(METRICS, "llm.requests");
    private final Counter retries = Metrics.counter(METRICS, "llm.retries");
    private final Counter rateLimited = Metrics.counter(METRICS, "llm.rateLimited");
    private final Counter repairs = Metrics.counter(METRICS, "llm.repairs");
    private final Counter promptTokens = Metrics.counter(METRICS, "llm.promptTokens");
    private final Counter completionTokens = Metrics.counter(METRICS, "llm.completionTokens");
    private final Counter failedCalls = Metrics.counter(METRICS, "llm.failedCalls");
    private final Counter calls = Metrics.counter(METRICS, "llm.calls");
    private final Counter cacheHits = Metrics.counter(METRICS, "llm.cacheHits");
    private final Counter throttledMillis = Metrics.counter(METRICS, "llm.throttledMillis");
    private final Gauge requestsPerMinute = Metrics.gauge(METRICS, "llm.pace.requestsPerMinute");
    private final Gauge tokensPerMinute = Metrics.gauge(METRICS, "llm.pace.tokensPerMinute");
    private transient LlmClient client;

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
      if (client != null) {
        LlmClients.release(config);
        client = null;
      }
    }

    /** A finished call: its outcome, or what broke the client's thread (out of memory, say). */
    private record Done<I>(I input, CallOutcome outcome, Throwable broken) {}

    /** One group's calls: those in flight, those done and waiting to be handled on this thread. */
    private final class Batch {
      final BlockingQueue<Done<I>> done = new LinkedBlockingQueue<>();
      final Semaphore queued = new Semaphore(MAX_QUEUED_PER_GROUP);
      int submitted;
      int finished;

      /** Sends one call, or makes a dead letter when its request cannot even be rendered. */
      void submit(I item, MultiOutputReceiver out) {
        ChatRequest request;
        try {
          request = task.request(item);
        } catch (RuntimeException e) {
          fail(out, item, "prompt_error", e.getMessage(), this);
          return;
        }
        submitted++;
        // Every call reports back, even one whose thread broke: a call that never reports would park
        // this DoFn for ever instead of failing the job.
        client.submit(request, task.check(item)).whenComplete((outcome, broken) -> done.add(new Done<>(item, outcome, broken)));
      }

      void drain(MultiOutputReceiver out) {
        Done<I> d;
        while ((d = done.poll()) != null) {
          finish(d, out);
        }
      }

      /** Handles a finished call; a follow-up call it leads to keeps its place in the queue. */
      void finish(Done<I> d, MultiOutputReceiver out) {
        if (d.broken() != null) {
          throw new IllegalStateException(task.stage() + ": an LLM call broke off: " + d.broken(), d.broken());
        }
        finished++;
        int before = submitted;
        handle(d, out, this);
        if (submitted - before > 1) {
          throw new IllegalStateException(task.stage() + ": one call may lead to one follow-up call at most");
        }
        if (submitted == before) {
          queued.release();
        }
      }
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<I>> group, MultiOutputReceiver out)
        throws InterruptedException {
      Batch batch = new Batch();
      for (I item : group.getValue()) {
        while (!batch.queued.tryAcquire()) {
          Done<I> d = batch.done.poll(50, TimeUnit.MILLISECONDS);
          if (d != null) {
            batch.finish(d, out);
          }
        }
        int before = batch.submitted;
        batch.submit(item, out);
        if (batch.submitted == before) {
          batch.queued.release(); // its request could not be rendered; nothing is in flight for it
        }
        batch.drain(out);
      }
      while (batch.finished < batch.submitted) {
        batch.finish(batch.done.take(), out);
      }
      try {
        client.flushCache(); // what this group paid for is durable before its output moves on
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("cannot write the response cache", e);
      }
    }

    private void handle(Done<I> d, MultiOutputReceiver out, Batch batch) {
      CallStats s = d.outcome().stats();
      calls.inc();
      requests.inc(s.requests);
      retries.inc(s.retries);
      rateLimited.inc(s.rateLimited);
      repairs.inc(s.repairs);
      cacheHits.inc(s.cacheHits);
      throttledMillis.inc(s.throttledNanos / 1_000_000);
      Throttle throttle = client.throttle();
      if (throttle != null) {
        requestsPerMinute.set(pace(throttle.requestsPerMinute()));
        tokensPerMinute.set(pace(throttle.tokensPerMinute()));
      }
      promptTokens.inc(s.promptTokens);
      completionTokens.inc(s.completionTokens);
      if (!d.outcome().ok()) {
        if (client.keyRefused()) {
          throw new KeyRefusedException(d.outcome().error().reason() + ": " + d.outcome().error().getMessage());
        }
        failedCalls.inc();
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

    /** Output moves on, unless the task has a follow-up call for it (the next turn of a dialogue). */
    private void emit(List<O> results, MultiOutputReceiver out, Batch batch) {
      OutputReceiver<O> receiver = out.get(outputs);
      for (O o : results) {
        I next = task.followUp(o);
        if (next == null) {
          receiver.output(o);
        } else {
          batch.submit(next, out);
        }
      }
    }

    /** A pace as a gauge value: -1 for unlimited. */
    private static long pace(double perMinute) {
      return Double.isFinite(perMinute) ? Math.round(perMinute) : -1;
    }

    private void fail(MultiOutputReceiver out, I item, String reason, String detail, Batch batch) {
      out.get(failures)
          .output(new Failure(task.recordId(item), task.callId(item), task.stage(), reason, detail, task.origin(item)));
      emit(task.onFailure(item), out, batch);
    }
  }
}
