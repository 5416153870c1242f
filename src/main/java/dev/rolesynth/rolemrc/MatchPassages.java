package dev.rolesynth.rolemrc;

import dev.rolesynth.pipeline.Failure;
import dev.rolesynth.pipeline.KryoCoder;
import dev.rolesynth.retrieval.Bm25Index;
import dev.rolesynth.rolemrc.RoleMrc.Match;
import dev.rolesynth.rolemrc.RoleMrc.Matched;
import dev.rolesynth.rolemrc.RoleMrc.MrcItem;
import dev.rolesynth.rolemrc.RoleMrc.Profile;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Pairs each profile with its most and least relevant MRC items: BM25 of the item (query and
 * passages) against the role's knowledge ({@link Bm25Index}). The pool reaches every worker as a
 * side input and is indexed once per worker.
 */
final class MatchPassages
    extends PTransform<PCollection<Profile>, WithFailures.Result<PCollection<Matched>, Failure>> {
  private final PCollection<MrcItem> items;

  MatchPassages(PCollection<MrcItem> items) {
    this.items = items;
  }

  @Override
  public WithFailures.Result<PCollection<Matched>, Failure> expand(PCollection<Profile> profiles) {
    PCollectionView<List<MrcItem>> pool = items.apply("PoolAsSideInput", View.asList());
    TupleTag<Matched> matched = new TupleTag<>();
    TupleTag<Failure> failures = new TupleTag<>();
    // The pool is read from its own files: nothing here shares a producer with it, so no dam is
    // needed.
    PCollectionTuple out =
        profiles.apply(
            "RankByBm25",
            ParDo.of(new MatchFn(pool, failures))
                .withSideInputs(pool)
                .withOutputTags(matched, TupleTagList.of(failures)));
    return WithFailures.Result.of(
        out.get(matched).setCoder(KryoCoder.of(Matched.class)),
        out.get(failures).setCoder(KryoCoder.of(Failure.class)));
  }

  static final class MatchFn extends DoFn<Profile, Matched> {
    private final PCollectionView<List<MrcItem>> pool;
    private final TupleTag<Failure> failures;
    private transient Bm25Index index;
    private transient Map<String, MrcItem> byId;

    MatchFn(PCollectionView<List<MrcItem>> pool, TupleTag<Failure> failures) {
      this.pool = pool;
      this.failures = failures;
    }

    @ProcessElement
    public void process(@Element Profile p, ProcessContext c) {
      if (index == null) { // the side input is the same whole pool for every element: index it once
        byId = new HashMap<>();
        c.sideInput(pool).forEach(i -> byId.put(i.id(), i));
        Map<String, String> texts = new HashMap<>();
        byId.forEach((id, i) -> texts.put(id, i.query() + "\n" + String.join("\n", i.passages())));
        index = new Bm25Index(texts);
      }
      if (index.size() < 2) {
        c.output(
            failures,
            new Failure(
                p.id(),
                p.id() + "/match",
                "match",
                "too_few_passages",
                "the MRC pool (--passages) has "
                    + index.size()
                    + " usable items; a most and a least relevant one need two",
                p.origin()));
        return;
      }
      Bm25Index.Scored[] m = index.bestAndWorst(p.id(), p.knowledge());
      c.output(
          new Matched(
              p,
              new Match(byId.get(m[0].id()), m[0].score()),
              new Match(byId.get(m[1].id()), m[1].score())));
    }
  }
}
