package dev.rolesynth.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.pool.BadRecordException;
import dev.rolesynth.pool.Origin;
import dev.rolesynth.pool.PoolReader;
import dev.rolesynth.pool.PoolRecord;
import dev.rolesynth.pool.RecordIds;
import dev.rolesynth.pool.RecordMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.channels.Channels;
import java.util.Comparator;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Reads an input pool (file or glob): every record becomes a record or a {@link Failure} naming
 * file, line and field. Duplicate ids keep the first record in file order and dead-letter the rest;
 * {@code limit} keeps the first N roles in file order.
 */
public final class ReadPool<T extends PoolRecord>
    extends PTransform<PBegin, WithFailures.Result<PCollection<T>, Failure>> {
  public static final String STAGE = "read";
  private final String filepattern;
  private final String format;
  private final RecordMapper<T> mapper;
  private final int limit;
  private final int maxRecordBytes;
  private final String ledger;
  private final String counters;

  private ReadPool(
      String filepattern,
      String format,
      RecordMapper<T> mapper,
      int limit,
      int maxRecordBytes,
      String ledger,
      String counters) {
    this.counters = counters;
    this.filepattern = filepattern;
    this.format = format;
    this.mapper = mapper;
    this.limit = limit;
    this.maxRecordBytes = maxRecordBytes;
    this.ledger = ledger;
  }

  public static <T extends PoolRecord> ReadPool<T> from(
      String filepattern, String format, RecordMapper<T> mapper, int limit) {
    return new ReadPool<>(
        filepattern, format, mapper, limit, PoolReader.DEFAULT_MAX_RECORD_BYTES, "", "input");
  }

  /** Records (lines) longer than {@code bytes} become {@code record_too_large} dead letters. */
  public ReadPool<T> withMaxRecordBytes(int bytes) {
    return new ReadPool<>(filepattern, format, mapper, limit, bytes, ledger, counters);
  }

  /**
   * Counts its records under {@code name}.* instead of input.*, and names its dead letters' stage
   * {@code name_read}: for a second pool (RoleMRC's passages), which is not what the run's input
   * counts, its records skipped by --limit and its failure ratio are about.
   */
  public ReadPool<T> countedAs(String name) {
    return new ReadPool<>(filepattern, format, mapper, limit, maxRecordBytes, ledger, name);
  }

  /**
   * Leaves out the records that the ledger files matching {@code glob} list as published
   * (incremental nights).
   */
  public ReadPool<T> withoutPublished(String glob) {
    return new ReadPool<>(filepattern, format, mapper, limit, maxRecordBytes, glob, counters);
  }

  private String stage() {
    return counters.equals("input") ? STAGE : counters + "_" + STAGE;
  }

  @Override
  public WithFailures.Result<PCollection<T>, Failure> expand(PBegin begin) {
    TupleTag<ResolveIds.Read<T>> records = new TupleTag<>();
    TupleTag<Failure> failures = new TupleTag<>();
    PCollectionTuple parsed =
        begin
            .apply(
                "MatchFiles",
                FileIO.match()
                    .filepattern(filepattern)
                    .withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW))
            .apply("ReadMatches", FileIO.readMatches())
            .apply(
                "ParseRecords",
                ParDo.of(
                        new ParseFileFn<>(
                            format, maxRecordBytes, mapper, records, failures, counters, stage()))
                    .withOutputTags(records, TupleTagList.of(failures)));
    var resolved =
        parsed
            .get(records)
            .setCoder(ResolveIds.readCoder())
            .apply("ResolveIds", new ResolveIds<>(mapper, stage()));
    PCollection<Failure> allFailures =
        PCollectionList.of(parsed.get(failures).setCoder(KryoCoder.of(Failure.class)))
            .and(resolved.failures())
            .apply("FlattenReadFailures", Flatten.pCollections());
    PCollection<T> fresh =
        ledger.isEmpty() ? resolved.output() : Ledger.skipPublished(resolved.output(), ledger);
    var taken =
        limit > 0
            ? TakeFirstRecords.of(limit, fresh, allFailures)
            : WithFailures.Result.of(fresh, allFailures);
    PCollection<T> counted =
        taken
            .output()
            .apply("CountKept", ParDo.of(new CountFn<T>(counters)))
            .setCoder(KryoCoder.of(mapper.type()));
    return WithFailures.Result.of(counted, taken.failures());
  }

  /** Orders records by file, then line: the order --limit takes them in. */
  static final class ByOrigin<T extends PoolRecord> implements Comparator<T>, Serializable {
    @Override
    public int compare(T a, T b) {
      return ORIGINS.compare(a.origin(), b.origin());
    }
  }

  static final Comparator<Origin> ORIGINS =
      Comparator.comparing(Origin::file).thenComparingLong(Origin::line);

  static final class ParseFileFn<T extends PoolRecord>
      extends DoFn<FileIO.ReadableFile, ResolveIds.Read<T>> {
    private final String format;
    private final int maxRecordBytes;
    private final RecordMapper<T> mapper;
    private final TupleTag<ResolveIds.Read<T>> roles;
    private final TupleTag<Failure> failures;
    private final Counter records;
    private final Counter truncatedRecords;
    private final String stage;

    ParseFileFn(
        String format,
        int maxRecordBytes,
        RecordMapper<T> mapper,
        TupleTag<ResolveIds.Read<T>> roles,
        TupleTag<Failure> failures,
        String counters,
        String stage) {
      this.stage = stage;
      this.records = Metrics.counter(CallLlm.METRICS, counters + ".records");
      this.truncatedRecords = Metrics.counter(CallLlm.METRICS, counters + ".truncatedRecords");
      this.format = format;
      this.maxRecordBytes = maxRecordBytes;
      this.mapper = mapper;
      this.roles = roles;
      this.failures = failures;
    }

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, MultiOutputReceiver out)
        throws IOException {
      String name = file.getMetadata().resourceId().toString();
      try (InputStream in = Channels.newInputStream(file.open())) {
        PoolReader.read(
            in,
            PoolReader.formatOf(name, format),
            maxRecordBytes,
            new PoolReader.Sink() {
              @Override
              public void record(JsonNode record, long line) {
                Origin origin = new Origin(name, line, RecordIds.fingerprint(record));
                try {
                  T role = mapper.map(record, origin);
                  if (!role.warnings().isEmpty()) {
                    truncatedRecords.inc();
                  }
                  out.get(roles).output(new ResolveIds.Read<>(role, mapper.identity(record, role)));
                } catch (BadRecordException e) {
                  out.get(failures)
                      .output(
                          new Failure(
                              origin.toString(),
                              origin.toString(),
                              stage,
                              e.reason(),
                              name + " line " + line + ": " + e.getMessage(),
                              origin));
                }
                records.inc();
              }

              @Override
              public void bad(long line, String reason, String message) {
                Origin origin = new Origin(name, line);
                out.get(failures)
                    .output(
                        new Failure(
                            origin.toString(),
                            origin.toString(),
                            stage,
                            reason,
                            name + ": " + message,
                            origin));
                records.inc();
              }
            });
      }
    }
  }

  static final class CountFn<T extends PoolRecord> extends DoFn<T, T> {
    private final Counter kept;

    CountFn(String counters) {
      this.kept = Metrics.counter(CallLlm.METRICS, counters + ".kept");
    }

    @ProcessElement
    public void process(@Element T role, OutputReceiver<T> out) {
      kept.inc();
      out.output(role);
    }
  }
}
