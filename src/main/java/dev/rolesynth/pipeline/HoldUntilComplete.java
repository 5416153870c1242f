package dev.rolesynth.pipeline;

import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PCollection;

/**
 * Passes its input on only once the input is complete. Put it on the main input of a ParDo whose
 * side input is made from the same data: Flink runs these pipelines fully pipelined (records move
 * on to the next stage as soon as they are made), and a ParDo there reads its side input whole
 * before its main input, so an undammed main input that shares a producer with the side input would
 * fill its buffers, stop the producer and never let the side input finish. A grouping (sorted, on
 * Flink) reads everything first, which breaks that cycle; it also spreads the records evenly over
 * workers.
 */
public final class HoldUntilComplete<T> extends PTransform<PCollection<T>, PCollection<T>> {
  private HoldUntilComplete() {}

  public static <T> HoldUntilComplete<T> of() {
    return new HoldUntilComplete<>();
  }

  @Override
  public PCollection<T> expand(PCollection<T> input) {
    return input.apply("HoldUntilComplete", Reshuffle.<T>viaRandomKey()).setCoder(input.getCoder());
  }
}
