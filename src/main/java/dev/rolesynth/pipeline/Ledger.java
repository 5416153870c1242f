package dev.rolesynth.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolesynth.pool.PoolRecord;
import java.io.IOException;
import java.util.Set;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Incremental nights: which records earlier successful nights already published. The ledger is a
 * set of JSONL files, one per successful run, each line a record's id and the fingerprint of its
 * content, so a record that changed since is not "already published". A record is published once it
 * ended as output or as a filter decision of the method; one that failed stays out, and a later
 * night tries it again.
 */
public final class Ledger {
  public static final String SKIPPED = "input.alreadyPublished";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Ledger() {}

  static String key(String id, String fingerprint) {
    return id + "\u0000" + fingerprint;
  }

  /** The records of {@code records} that no ledger file under {@code glob} lists. */
  static <T extends PoolRecord> PCollection<T> skipPublished(PCollection<T> records, String glob) {
    Coder<T> coder = records.getCoder();
    PCollection<KV<String, Boolean>> published =
        records.getPipeline().apply("ReadLedger", new ReadLedger(glob));
    TupleTag<T> pool = new TupleTag<>();
    TupleTag<Boolean> done = new TupleTag<>();
    PCollection<KV<String, T>> keyed =
        records
            .apply(
                "KeyByIdAndContent",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.strings(), records.getTypeDescriptor()))
                    .via((T r) -> KV.of(key(r.id(), r.origin().fingerprint()), r)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), coder));
    return KeyedPCollectionTuple.of(pool, keyed)
        .and(done, published)
        .apply("JoinLedger", CoGroupByKey.create())
        .apply("KeepUnpublished", ParDo.of(new UnpublishedFn<>(pool, done)))
        .setCoder(coder);
  }

  static final class UnpublishedFn<T> extends DoFn<KV<String, CoGbkResult>, T> {
    private final TupleTag<T> pool;
    private final TupleTag<Boolean> done;
    private final Counter skipped = Metrics.counter(CallLlm.METRICS, SKIPPED);

    UnpublishedFn(TupleTag<T> pool, TupleTag<Boolean> done) {
      this.pool = pool;
      this.done = done;
    }

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> e, OutputReceiver<T> out) {
      boolean published = e.getValue().getAll(done).iterator().hasNext();
      for (T r : e.getValue().getAll(pool)) {
        if (published) {
          skipped.inc();
        } else {
          out.output(r);
        }
      }
    }
  }

  /** The ledger's keys; nothing when there is no ledger yet (the first night). */
  static final class ReadLedger extends PTransform<PBegin, PCollection<KV<String, Boolean>>> {
    private final String glob;

    ReadLedger(String glob) {
      this.glob = glob;
    }

    @Override
    public PCollection<KV<String, Boolean>> expand(PBegin begin) {
      return begin
          .apply(
              "ReadLines",
              TextIO.read().from(glob).withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
          .apply(
              "Parse",
              ParDo.of(
                  new DoFn<String, KV<String, Boolean>>() {
                    @ProcessElement
                    public void process(
                        @Element String line, OutputReceiver<KV<String, Boolean>> out)
                        throws IOException {
                      if (!line.isBlank()) {
                        JsonNode n = MAPPER.readTree(line);
                        out.output(
                            KV.of(
                                key(n.path("id").asText(), n.path("fingerprint").asText()), true));
                      }
                    }
                  }))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), BooleanCoder.of()));
    }
  }

  /**
   * This run's ledger lines: the records it took that ended as output or as the method's filter
   * decision, i.e. that have no dead letter other than a filter's.
   */
  public static <T extends PoolRecord> PCollection<String> lines(
      PCollection<T> taken, PCollection<Failure> failures, Set<String> filterReasons) {
    TupleTag<String> took = new TupleTag<>();
    TupleTag<Boolean> failed = new TupleTag<>();
    PCollection<KV<String, String>> keyedTaken =
        taken
            .apply(
                "LedgerKeys",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
                    .via(
                        (T r) ->
                            KV.of(
                                r.id(),
                                MAPPER
                                    .createObjectNode()
                                    .put("id", r.id())
                                    .put("fingerprint", r.origin().fingerprint())
                                    .toString())))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
    PCollection<KV<String, Boolean>> keyedFailures =
        failures
            .apply("RealFailures", Filter.by((Failure f) -> !f.filtered(filterReasons)))
            .apply(
                "FailureKeys",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.booleans()))
                    .via((Failure f) -> KV.of(f.recordId(), true)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), BooleanCoder.of()));
    return KeyedPCollectionTuple.of(took, keyedTaken)
        .and(failed, keyedFailures)
        .apply("JoinFailures", CoGroupByKey.create())
        .apply(
            "Published",
            ParDo.of(
                new DoFn<KV<String, CoGbkResult>, String>() {
                  @ProcessElement
                  public void process(
                      @Element KV<String, CoGbkResult> e, OutputReceiver<String> out) {
                    if (!e.getValue().getAll(failed).iterator().hasNext()) {
                      e.getValue().getAll(took).forEach(out::output);
                    }
                  }
                }))
        .setCoder(StringUtf8Coder.of());
  }
}
