package dev.rolesynth.pipeline;

import dev.rolesynth.pool.PoolRecord;
import dev.rolesynth.pool.RecordMapper;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Makes every record's id unique, in file order: the first record with an id keeps it; a later one
 * with the same content is a true repeat ({@code duplicate_record}, saying which fields matched); a
 * later one with another content is a namesake when its id was derived (it gets its line added to
 * the id) and a clash when the pool gave the id ({@code duplicate_id}).
 */
final class ResolveIds<T extends PoolRecord>
    extends PTransform<
        PCollection<ResolveIds.Read<T>>, WithFailures.Result<PCollection<T>, Failure>> {
  /** A record as read, with what its id was made from. */
  record Read<T extends PoolRecord>(T record, Map<String, String> identity)
      implements Serializable {
    boolean givenId() {
      return identity.containsKey("id");
    }

    String fingerprint() {
      return record.origin().fingerprint();
    }
  }

  private final RecordMapper<T> mapper;
  private final String stage;

  /**
   * @param stage the stage its dead letters name: the pool's reading, or a second pool's
   */
  ResolveIds(RecordMapper<T> mapper, String stage) {
    this.mapper = mapper;
    this.stage = stage;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static <T extends PoolRecord> Coder<Read<T>> readCoder() {
    return (Coder) KryoCoder.of(Read.class);
  }

  @Override
  public WithFailures.Result<PCollection<T>, Failure> expand(PCollection<Read<T>> reads) {
    TupleTag<T> kept = new TupleTag<>();
    TupleTag<Failure> repeats = new TupleTag<>();
    PCollectionTuple out =
        reads
            .apply(
                "KeyById",
                WithKeys.of((Read<T> r) -> r.record().id()).withKeyType(TypeDescriptors.strings()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), readCoder()))
            .apply("GroupById", GroupByKey.create())
            .apply(
                "TellApart",
                ParDo.of(new TellApartFn<>(mapper, kept, repeats, stage))
                    .withOutputTags(kept, TupleTagList.of(repeats)));
    return WithFailures.Result.of(
        out.get(kept).setCoder(KryoCoder.of(mapper.type())),
        out.get(repeats).setCoder(KryoCoder.of(Failure.class)));
  }

  static final class TellApartFn<T extends PoolRecord>
      extends DoFn<KV<String, Iterable<Read<T>>>, T> {
    private final RecordMapper<T> mapper;
    private final TupleTag<T> kept;
    private final TupleTag<Failure> repeats;
    private final String stage;

    TellApartFn(RecordMapper<T> mapper, TupleTag<T> kept, TupleTag<Failure> repeats, String stage) {
      this.stage = stage;
      this.mapper = mapper;
      this.kept = kept;
      this.repeats = repeats;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<Read<T>>> group, MultiOutputReceiver out) {
      List<Read<T>> all = new ArrayList<>();
      group.getValue().forEach(all::add);
      all.sort((a, b) -> ReadPool.ORIGINS.compare(a.record().origin(), b.record().origin()));
      List<Read<T>> earlier = new ArrayList<>();
      for (Read<T> r : all) {
        Read<T> same =
            earlier.stream()
                .filter(e -> e.fingerprint().equals(r.fingerprint()))
                .findFirst()
                .orElse(null);
        T rec = r.record();
        if (same != null) {
          out.get(repeats)
              .output(
                  new Failure(
                      rec.id(),
                      rec.id(),
                      stage,
                      "duplicate_record",
                      rec.origin()
                          + " repeats "
                          + same.record().origin()
                          + ": the same "
                          + String.join(", ", r.identity().keySet())
                          + " and the same content",
                      rec.origin()));
        } else if (earlier.isEmpty()) {
          out.get(kept).output(rec);
        } else if (r.givenId()) {
          out.get(repeats)
              .output(
                  new Failure(
                      rec.id(),
                      rec.id(),
                      stage,
                      "duplicate_id",
                      rec.origin()
                          + ": id '"
                          + rec.id()
                          + "' was already defined at "
                          + earlier.get(0).record().origin()
                          + " by a record with other content",
                      rec.origin()));
        } else {
          // The same name, work and source, yet other content: a namesake, told apart by its line.
          out.get(kept).output(mapper.withId(rec, rec.id() + "-l" + rec.origin().line()));
        }
        earlier.add(r);
      }
    }
  }
}
