package dev.rolesynth.pipeline;

import dev.rolesynth.core.Ids;
import java.io.Serializable;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.Top;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The ids of N eligible records held out (a benchmark split, say), chosen by a seeded hash of their
 * ids, so that reruns, runners and shard counts agree; a side input.
 */
public final class HoldOut<T> extends PTransform<PCollection<T>, PCollectionView<List<String>>> {
  private final int n;
  private final long seed;
  private final SerializableFunction<T, String> id;
  private final SerializableFunction<T, Boolean> eligible;

  private HoldOut(
      int n,
      long seed,
      SerializableFunction<T, String> id,
      SerializableFunction<T, Boolean> eligible) {
    this.n = n;
    this.seed = seed;
    this.id = id;
    this.eligible = eligible;
  }

  /** {@code n} of the records {@code eligible} passes (none for n = 0), by their {@code id}. */
  public static <T> HoldOut<T> of(
      int n,
      long seed,
      SerializableFunction<T, String> id,
      SerializableFunction<T, Boolean> eligible) {
    return new HoldOut<>(n, seed, id, eligible);
  }

  @Override
  public PCollectionView<List<String>> expand(PCollection<T> in) {
    int wanted = n;
    long runSeed = seed;
    SerializableFunction<T, String> idOf = id;
    SerializableFunction<T, Boolean> ok = eligible;
    return in.apply("Eligible", Filter.by(r -> wanted > 0 && ok.apply(r)))
        // "benchmark" names the draw in the seed; kept so that held-out sets stay as they were
        .apply(
            "Ids",
            MapElements.into(
                    TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
                .via(
                    r ->
                        KV.of(
                            Ids.sha256Hex(Long.toString(runSeed), "benchmark", idOf.apply(r)),
                            idOf.apply(r))))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
        .apply("FirstByHash", Top.of(Math.max(1, wanted), new ByHashDescending()))
        .setCoder(ListCoder.of(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of())))
        .apply(
            "HeldOutIds",
            MapElements.into(TypeDescriptors.lists(TypeDescriptors.strings()))
                .via(top -> top.stream().map(KV::getValue).toList()))
        .setCoder(ListCoder.of(StringUtf8Coder.of()))
        .apply("AsSideInput", View.asSingleton());
  }

  /** (hash, id): the smallest hashes win, so Top takes the largest under the reversed order. */
  private static final class ByHashDescending
      implements Comparator<KV<String, String>>, Serializable {
    @Override
    public int compare(KV<String, String> a, KV<String, String> b) {
      return b.getKey().compareTo(a.getKey());
    }
  }
}
