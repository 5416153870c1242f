package dev.rolesynth.pipeline;

import dev.rolesynth.pool.Traced;
import dev.rolesynth.retrieval.Bm25Index;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Each record with the most and the least relevant item of another pool: BM25 of each item's text
 * against the record's ({@link Bm25Index}; ties broken by the record, so reruns agree). The pool
 * reaches every worker as a side input and is indexed once per worker; a pool of fewer than two
 * items makes each record a dead letter of the ranking's stage.
 */
public final class MatchByRelevance<
        T extends Traced, I extends Serializable, O extends Serializable>
    extends PTransform<PCollection<T>, WithFailures.Result<PCollection<O>, Failure>> {
  /** What a record and its two items make. */
  public interface Match<T, I, O> extends Serializable {
    O of(T record, I most, double mostScore, I least, double leastScore);
  }

  /**
   * How items and records are read and matched; {@code pool} is how a dead letter names the pool
   * ("the MRC pool (--passages)").
   */
  public record Ranking<T, I, O>(
      SerializableFunction<I, String> itemId,
      SerializableFunction<I, String> itemText,
      SerializableFunction<T, String> recordText,
      Match<T, I, O> match,
      String stage,
      String pool)
      implements Serializable {}

  private final PCollection<I> items;
  private final Class<O> type;
  private final Ranking<T, I, O> ranking;

  public MatchByRelevance(PCollection<I> items, Class<O> type, Ranking<T, I, O> ranking) {
    this.items = items;
    this.type = type;
    this.ranking = ranking;
  }

  @Override
  public WithFailures.Result<PCollection<O>, Failure> expand(PCollection<T> records) {
    PCollectionView<List<I>> all = items.apply("PoolAsSideInput", View.asList());
    // The pool is read from its own files: nothing here shares a producer with it, so no dam is
    // needed.
    return records.apply("RankByBm25", EachOrFail.with(all, type, new RankFn<>(ranking)));
  }

  /** Holds the ranking only: the transform holds the pool's collection, which does not ship. */
  private static final class RankFn<T extends Traced, I, O>
      implements EachOrFail.Fn<T, List<I>, O> {
    private final Ranking<T, I, O> r;
    private transient Bm25Index index;
    private transient Map<String, I> byId;

    RankFn(Ranking<T, I, O> r) {
      this.r = r;
    }

    @Override
    public void apply(T record, List<I> all, EachOrFail.Out<O> out) {
      if (index == null) { // the side input is the same whole pool for every element: index it once
        byId = new HashMap<>();
        all.forEach(i -> byId.put(r.itemId().apply(i), i));
        Map<String, String> texts = new HashMap<>();
        byId.forEach((id, i) -> texts.put(id, r.itemText().apply(i)));
        index = new Bm25Index(texts);
      }
      if (index.size() < 2) {
        String why =
            r.pool()
                + " has "
                + index.size()
                + " usable items; a most and a least relevant one need two";
        String id = record.id();
        out.fail(
            new Failure(
                id, id + "/" + r.stage(), r.stage(), "too_few_passages", why, record.origin()));
        return;
      }
      Bm25Index.Scored[] m = index.bestAndWorst(record.id(), r.recordText().apply(record));
      out.output(
          r.match()
              .of(record, byId.get(m[0].id()), m[0].score(), byId.get(m[1].id()), m[1].score()));
    }
  }
}
