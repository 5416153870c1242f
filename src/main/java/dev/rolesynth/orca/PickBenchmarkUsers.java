package dev.rolesynth.orca;

import dev.rolesynth.core.Ids;
import dev.rolesynth.orca.Orca.KeptUser;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Top;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/** Holds out N eligible users, chosen by a seeded hash of their ids so that reruns agree. */
final class PickBenchmarkUsers
    extends PTransform<PCollection<KeptUser>, PCollectionView<List<String>>> {
  private final OrcaSettings settings;

  PickBenchmarkUsers(OrcaSettings settings) {
    this.settings = settings;
  }

  @Override
  public PCollectionView<List<String>> expand(PCollection<KeptUser> kept) {
    long seed = settings.seed;
    int min = settings.opt.benchmarkMinPosts();
    return kept.apply(
            "Eligible",
            Filter.by(k -> settings.opt.benchmarkUsers() > 0 && k.user().posts().size() >= min))
        .apply("Ids", ParDo.of(new SeededIdFn(seed)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
        .apply(
            "FirstByHash",
            Top.of(Math.max(1, settings.opt.benchmarkUsers()), new ByKeyDescending()))
        .setCoder(ListCoder.of(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of())))
        .apply("UserIds", ParDo.of(new IdsFn()))
        .setCoder(ListCoder.of(StringUtf8Coder.of()))
        .apply("AsSideInput", View.asSingleton());
  }

  /** (hash, id): the smallest hashes win, so Top takes the largest under the reversed order. */
  static final class SeededIdFn extends DoFn<KeptUser, KV<String, String>> {
    private final long seed;

    SeededIdFn(long seed) {
      this.seed = seed;
    }

    @ProcessElement
    public void process(@Element KeptUser k, OutputReceiver<KV<String, String>> out) {
      out.output(
          KV.of(Ids.sha256Hex(Long.toString(seed), "benchmark", k.user().id()), k.user().id()));
    }
  }

  static final class ByKeyDescending implements Comparator<KV<String, String>>, Serializable {
    @Override
    public int compare(KV<String, String> a, KV<String, String> b) {
      return b.getKey().compareTo(a.getKey());
    }
  }

  static final class IdsFn extends DoFn<List<KV<String, String>>, List<String>> {
    @ProcessElement
    public void process(@Element List<KV<String, String>> top, OutputReceiver<List<String>> out) {
      List<String> ids = new ArrayList<>();
      top.forEach(kv -> ids.add(kv.getValue()));
      out.output(ids);
    }
  }
}
