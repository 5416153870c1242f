package dev.rolesynth.pipeline;

import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Spreads a collection over a few groups and takes each group out again element by element: on the
 * DirectRunner, whose bundles after a grouping hold one key each, this makes bundles of many
 * elements, so that {@link CallLlm} can keep many calls in flight. Keyed by a stable hash of the
 * call id.
 */
final class GatherIntoBundles<I> extends PTransform<PCollection<I>, PCollection<I>> {
  private final LlmTask<I, ?> task;
  private final int groups;

  private GatherIntoBundles(LlmTask<I, ?> task, int groups) {
    this.task = task;
    this.groups = groups;
  }

  static <I> GatherIntoBundles<I> of(LlmTask<I, ?> task, int groups) {
    return new GatherIntoBundles<>(task, Math.max(1, groups));
  }

  @Override
  public PCollection<I> expand(PCollection<I> input) {
    return input
        .apply("Spread", ParDo.of(new SpreadFn<>(task, groups)))
        .setCoder(KvCoder.of(VarIntCoder.of(), input.getCoder()))
        .apply("Group", GroupByKey.create())
        .apply("Ungroup", ParDo.of(new UngroupFn<I>()))
        .setCoder(input.getCoder());
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

  /** A group's elements, one by one, in one bundle. */
  static final class UngroupFn<I> extends DoFn<KV<Integer, Iterable<I>>, I> {
    @ProcessElement
    public void process(@Element KV<Integer, Iterable<I>> group, OutputReceiver<I> out) {
      group.getValue().forEach(out::output);
    }
  }
}
