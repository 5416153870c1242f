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
 * items makes each record a dead letter of the stage {@code stage}.
 */
public final class MatchByRelevance<
        T extends Traced, I extends Serializable, O extends Serializable>
    extends PTransform<PCollection<T>, WithFailures.Result<PCollection<O>, Failure>> {
  /** What a record and its two items make. */
  public interface Match<T, I, O> extends Serializable {
    O of(T record, I most, double mostScore, I least, double leastScore);
  }

  private final PCollection<I> items;
  private final SerializableFunction<I, String> itemId;
  private final SerializableFunction<I, String> itemText;
  private final SerializableFunction<T, String> recordText;
  private final Match<T, I, O> match;
  private final Class<O> type;
  private final String stage;
  private final String pool;

  /**
   * @param pool how the dead letter names the pool ("the MRC pool (--passages)")
   */
  public MatchByRelevance(
      PCollection<I> items,
      SerializableFunction<I, String> itemId,
      SerializableFunction<I, String> itemText,
      SerializableFunction<T, String> recordText,
      Class<O> type,
      Match<T, I, O> match,
      String stage,
      String pool) {
    this.items = items;
    this.itemId = itemId;
    this.itemText = itemText;
    this.recordText = recordText;
    this.match = match;
    this.type = type;
    this.stage = stage;
    this.pool = pool;
  }

  @Override
  public WithFailures.Result<PCollection<O>, Failure> expand(PCollection<T> records) {
    PCollectionView<List<I>> all = items.apply("PoolAsSideInput", View.asList());
    // The pool is read from its own files: nothing here shares a producer with it, so no dam is
    // needed.
    return records.apply(
        "RankByBm25",
        EachOrFail.with(all, type, new RankFn<>(itemId, itemText, recordText, match, stage, pool)));
  }

  /** Holds only what it reads: the transform holds the pool's collection, which does not ship. */
  private static final class RankFn<T extends Traced, I, O>
      implements EachOrFail.Fn<T, List<I>, O> {
    private final SerializableFunction<I, String> itemId;
    private final SerializableFunction<I, String> itemText;
    private final SerializableFunction<T, String> recordText;
    private final Match<T, I, O> match;
    private final String stage;
    private final String pool;
    private transient Bm25Index index;
    private transient Map<String, I> byId;

    RankFn(
        SerializableFunction<I, String> itemId,
        SerializableFunction<I, String> itemText,
        SerializableFunction<T, String> recordText,
        Match<T, I, O> match,
        String stage,
        String pool) {
      this.itemId = itemId;
      this.itemText = itemText;
      this.recordText = recordText;
      this.match = match;
      this.stage = stage;
      this.pool = pool;
    }

    @Override
    public void apply(T r, List<I> all, EachOrFail.Out<O> out) {
      if (index == null) { // the side input is the same whole pool for every element: index it once
        byId = new HashMap<>();
        all.forEach(i -> byId.put(itemId.apply(i), i));
        Map<String, String> texts = new HashMap<>();
        byId.forEach((id, i) -> texts.put(id, itemText.apply(i)));
        index = new Bm25Index(texts);
      }
      if (index.size() < 2) {
        String why =
            pool
                + " has "
                + index.size()
                + " usable items; a most and a least relevant one need two";
        out.fail(
            new Failure(r.id(), r.id() + "/" + stage, stage, "too_few_passages", why, r.origin()));
        return;
      }
      Bm25Index.Scored[] m = index.bestAndWorst(r.id(), recordText.apply(r));
      out.output(match.of(r, byId.get(m[0].id()), m[0].score(), byId.get(m[1].id()), m[1].score()));
    }
  }
}
