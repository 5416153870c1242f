package dev.rolesynth.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.pool.BadRecordException;
import dev.rolesynth.pool.Origin;
import dev.rolesynth.pool.PoolReader;
import dev.rolesynth.pool.Role;
import dev.rolesynth.pool.RoleMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Top;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Reads a role pool (file or glob): every record becomes a {@link Role} or a {@link Failure} naming
 * file, line and field. Duplicate ids keep the first record in file order and dead-letter the rest;
 * {@code limit} keeps the first N roles in file order.
 */
public final class ReadRolePool extends PTransform<PBegin, WithFailures.Result<PCollection<Role>, Failure>> {
  public static final String STAGE = "read";
  private final String filepattern;
  private final String format;
  private final RoleMapper mapper;
  private final int limit;
  private final int maxRecordBytes;

  private ReadRolePool(String filepattern, String format, RoleMapper mapper, int limit, int maxRecordBytes) {
    this.filepattern = filepattern;
    this.format = format;
    this.mapper = mapper;
    this.limit = limit;
    this.maxRecordBytes = maxRecordBytes;
  }

  public static ReadRolePool from(String filepattern, String format, RoleMapper mapper, int limit) {
    return new ReadRolePool(filepattern, format, mapper, limit, PoolReader.DEFAULT_MAX_RECORD_BYTES);
  }

  /** Records (lines) longer than {@code bytes} become {@code record_too_large} dead letters. */
  public ReadRolePool withMaxRecordBytes(int bytes) {
    return new ReadRolePool(filepattern, format, mapper, limit, bytes);
  }

  @Override
  public WithFailures.Result<PCollection<Role>, Failure> expand(PBegin begin) {
    TupleTag<Role> roles = new TupleTag<>();
    TupleTag<Failure> failures = new TupleTag<>();
    PCollectionTuple parsed =
        begin
            .apply("MatchFiles", FileIO.match().filepattern(filepattern).withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW))
            .apply("ReadMatches", FileIO.readMatches())
            .apply("ParseRecords", ParDo.of(new ParseFileFn(format, maxRecordBytes, mapper, roles, failures))
                .withOutputTags(roles, TupleTagList.of(failures)));
    PCollection<Role> parsedRoles = parsed.get(roles).setCoder(SerializableCoder.of(Role.class));
    PCollectionTuple unique =
        parsedRoles
            .apply("KeyById", ParDo.of(new KeyByIdFn()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(Role.class)))
            .apply("GroupById", GroupByKey.create())
            .apply("KeepFirstOfEachId", ParDo.of(new FirstOfIdFn(roles, failures)).withOutputTags(roles, TupleTagList.of(failures)));
    PCollection<Role> kept = unique.get(roles).setCoder(SerializableCoder.of(Role.class));
    if (limit > 0) {
      kept =
          kept.apply("TakeFirstN", Top.of(limit, new LaterFirst()))
              .apply("Unbatch", Flatten.iterables())
              .setCoder(SerializableCoder.of(Role.class));
    }
    PCollection<Role> counted = kept.apply("CountRoles", ParDo.of(new CountFn())).setCoder(SerializableCoder.of(Role.class));
    PCollection<Failure> allFailures =
        PCollectionList.of(parsed.get(failures).setCoder(SerializableCoder.of(Failure.class)))
            .and(unique.get(failures).setCoder(SerializableCoder.of(Failure.class)))
            .apply("FlattenReadFailures", Flatten.pCollections());
    return WithFailures.Result.of(counted, allFailures);
  }

  /** Orders roles by file, then line. */
  static final class ByOrigin implements Comparator<Role>, Serializable {
    @Override
    public int compare(Role a, Role b) {
      int c = a.origin().file().compareTo(b.origin().file());
      return c != 0 ? c : Long.compare(a.origin().line(), b.origin().line());
    }
  }

  /** Reversed file order, since Top keeps the largest. */
  static final class LaterFirst implements Comparator<Role>, Serializable {
    @Override
    public int compare(Role a, Role b) {
      return new ByOrigin().compare(b, a);
    }
  }

  static final class ParseFileFn extends DoFn<FileIO.ReadableFile, Role> {
    private final String format;
    private final int maxRecordBytes;
    private final RoleMapper mapper;
    private final TupleTag<Role> roles;
    private final TupleTag<Failure> failures;
    private final Counter records = Metrics.counter(CallLlm.METRICS, "input.records");
    private final Counter truncatedRecords = Metrics.counter(CallLlm.METRICS, "input.truncatedRecords");

    ParseFileFn(String format, int maxRecordBytes, RoleMapper mapper, TupleTag<Role> roles, TupleTag<Failure> failures) {
      this.format = format;
      this.maxRecordBytes = maxRecordBytes;
      this.mapper = mapper;
      this.roles = roles;
      this.failures = failures;
    }

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, MultiOutputReceiver out) throws IOException {
      String name = file.getMetadata().resourceId().toString();
      try (InputStream in = Channels.newInputStream(file.open())) {
        PoolReader.read(in, PoolReader.formatOf(name, format), maxRecordBytes, new PoolReader.Sink() {
          @Override
          public void record(JsonNode record, long line) {
            Origin origin = new Origin(name, line);
            try {
              Role role = mapper.map(record, origin);
              if (!role.warnings().isEmpty()) {
                truncatedRecords.inc();
              }
              out.get(roles).output(role);
            } catch (BadRecordException e) {
              out.get(failures).output(new Failure(origin.toString(), origin.toString(), STAGE, e.reason(), name + " line " + line + ": " + e.getMessage(), origin));
            }
            records.inc();
          }

          @Override
          public void bad(long line, String reason, String message) {
            Origin origin = new Origin(name, line);
            out.get(failures).output(new Failure(origin.toString(), origin.toString(), STAGE, reason, name + ": " + message, origin));
            records.inc();
          }
        });
      }
    }
  }

  static final class KeyByIdFn extends DoFn<Role, KV<String, Role>> {
    @ProcessElement
    public void process(@Element Role role, OutputReceiver<KV<String, Role>> out) {
      out.output(KV.of(role.id(), role));
    }
  }

  static final class FirstOfIdFn extends DoFn<KV<String, Iterable<Role>>, Role> {
    private final TupleTag<Role> roles;
    private final TupleTag<Failure> failures;

    FirstOfIdFn(TupleTag<Role> roles, TupleTag<Failure> failures) {
      this.roles = roles;
      this.failures = failures;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<Role>> group, MultiOutputReceiver out) {
      List<Role> all = new ArrayList<>();
      group.getValue().forEach(all::add);
      all.sort(new ByOrigin());
      out.get(roles).output(all.get(0));
      for (Role dup : all.subList(1, all.size())) {
        out.get(failures).output(new Failure(dup.id(), dup.id(), STAGE, "duplicate_id",
            dup.origin() + ": id '" + dup.id() + "' was already defined at " + all.get(0).origin(), dup.origin()));
      }
    }
  }

  static final class CountFn extends DoFn<Role, Role> {
    private final Counter kept = Metrics.counter(CallLlm.METRICS, "input.roles");

    @ProcessElement
    public void process(@Element Role role, OutputReceiver<Role> out) {
      kept.inc();
      out.output(role);
    }
  }
}
