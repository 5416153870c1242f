package dev.rolesynth.rolemrc;

import dev.rolesynth.pipeline.EachOrFail;
import dev.rolesynth.pipeline.Failure;
import dev.rolesynth.retrieval.Bm25Index;
import dev.rolesynth.rolemrc.RoleMrc.Match;
import dev.rolesynth.rolemrc.RoleMrc.Matched;
import dev.rolesynth.rolemrc.RoleMrc.MrcItem;
import dev.rolesynth.rolemrc.RoleMrc.Profile;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

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
    // The pool is read from its own files: nothing here shares a producer with it, so no dam is
    // needed.
    return profiles.apply("RankByBm25", EachOrFail.with(pool, Matched.class, new MatchFn()));
  }

  static final class MatchFn implements EachOrFail.Fn<Profile, List<MrcItem>, Matched> {
    private transient Bm25Index index;
    private transient Map<String, MrcItem> byId;

    @Override
    public void apply(Profile p, List<MrcItem> pool, EachOrFail.Out<Matched> out) {
      if (index == null) { // the side input is the same whole pool for every element: index it once
        byId = new HashMap<>();
        pool.forEach(i -> byId.put(i.id(), i));
        Map<String, String> texts = new HashMap<>();
        byId.forEach((id, i) -> texts.put(id, i.query() + "\n" + String.join("\n", i.passages())));
        index = new Bm25Index(texts);
      }
      if (index.size() < 2) {
        out.fail(
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
      out.output(
          new Matched(
              p,
              new Match(byId.get(m[0].id()), m[0].score()),
              new Match(byId.get(m[1].id()), m[1].score())));
    }
  }
}
