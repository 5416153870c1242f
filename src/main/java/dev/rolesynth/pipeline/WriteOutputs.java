package dev.rolesynth.pipeline;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Contextful;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.Keys;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/** Writes a pipeline's Avro and JSONL shards and its dead letters under one folder. */
public final class WriteOutputs {
  public static final String FAILURES_DIR = "failures";

  /**
   * In the name of every JSONL rendering of a simulated run, so simulated answers never pass for
   * model output.
   */
  public static final String SIMULATED = "simulated";

  private WriteOutputs() {}

  public static void write(
      RolePipeline.Outputs outputs,
      PCollection<Failure> moreFailures,
      String dir,
      Set<String> filterReasons,
      boolean simulated) {
    PCollection<KV<String, byte[]>> failures =
        PCollectionList.of(outputs.failures())
            .and(moreFailures)
            .apply("FlattenAllFailures", Flatten.pCollections())
            .apply(
                "FailuresToJson",
                MapElements.into(SHARD)
                    .via((Failure f) -> line(FAILURES_DIR + "/failures", f.toJson(filterReasons))))
            .setCoder(CODER);
    write(
        outputs.datasets(),
        failures,
        Map.of(FAILURES_DIR + "/failures" + JSONL, ""),
        dir,
        simulated);
  }

  /**
   * Writes each dataset as {@code <base><name>-*.avro} and its renderings as {@code
   * <base><name>.<format>-*.jsonl} ({@code <name>.<format>.simulated-*.jsonl} when the answers are
   * simulated).
   */
  public static void writeDatasets(
      List<RolePipeline.Dataset<?>> datasets, String dir, boolean simulated) {
    write(datasets, null, Map.of(), dir, simulated);
  }

  /**
   * The datasets and {@code more} (destination, bytes) to the destinations {@code moreDests} names:
   * one file write for them all, so a job has one sink, not one per kind of file. Every destination
   * gets a file, an empty one (an Avro header) when it has no records, as a write per kind gave.
   */
  private static void write(
      List<RolePipeline.Dataset<?>> datasets,
      PCollection<KV<String, byte[]>> more,
      Map<String, String> moreDests,
      String dir,
      boolean simulated) {
    String base = dir.endsWith("/") ? dir : dir + "/";
    Map<String, String> schemas = new TreeMap<>(moreDests); // destination -> Avro schema or ""
    PCollectionList<KV<String, byte[]>> shards =
        more != null
            ? PCollectionList.of(more)
            : PCollectionList.empty(datasets.get(0).records().getPipeline());
    for (RolePipeline.Dataset<?> d : datasets) {
      shards = shards.and(encode(d, simulated, schemas));
    }
    shards
        .apply("FlattenShards", Flatten.pCollections())
        .apply(
            "WriteShards",
            FileIO.<String, KV<String, byte[]>>writeDynamic()
                .by(KV::getKey)
                .withDestinationCoder(StringUtf8Coder.of())
                .via(Contextful.fn(dest -> sink(schemas, dest)))
                .to(base)
                .withNaming(dest -> FileIO.Write.defaultNaming(stem(dest), extension(dest))))
        .getPerDestinationOutputFilenames()
        .apply("Written", Keys.create())
        .apply("AllWritten", Combine.globally(new ToSet()))
        .apply("WriteEmpty", ParDo.of(new WriteEmpty(base, schemas)));
  }

  private static <R extends SpecificRecordBase> PCollection<KV<String, byte[]>> encode(
      RolePipeline.Dataset<R> d, boolean simulated, Map<String, String> schemas) {
    EncodeShards<R> encode = EncodeShards.of(d, simulated);
    schemas.putAll(encode.destinations());
    return d.records().apply("Encode_" + d.name(), ParDo.of(encode)).setCoder(CODER);
  }

  static final String AVRO = ".avro";
  static final String JSONL = ".jsonl";
  static final TypeDescriptor<KV<String, byte[]>> SHARD =
      TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(byte[].class));
  static final KvCoder<String, byte[]> CODER =
      KvCoder.of(StringUtf8Coder.of(), ByteArrayCoder.of());

  /** A JSONL line for the files {@code <stem>-*.jsonl}. */
  static KV<String, byte[]> line(String stem, String line) {
    return KV.of(stem + JSONL, line.getBytes(StandardCharsets.UTF_8));
  }

  static ShardSink sink(Map<String, String> schemas, String dest) {
    String schema = schemas.get(dest);
    return new ShardSink(schema == null || schema.isEmpty() ? null : schema);
  }

  private static String stem(String dest) {
    return dest.substring(0, dest.lastIndexOf('.'));
  }

  private static String extension(String dest) {
    return dest.substring(dest.lastIndexOf('.'));
  }

  /** The destinations written to, as a set (an empty one when nothing was written). */
  static final class ToSet extends Combine.CombineFn<String, TreeSet<String>, Set<String>> {
    @Override
    public TreeSet<String> createAccumulator() {
      return new TreeSet<>();
    }

    @Override
    public TreeSet<String> addInput(TreeSet<String> acc, String dest) {
      acc.add(dest);
      return acc;
    }

    @Override
    public TreeSet<String> mergeAccumulators(Iterable<TreeSet<String>> accs) {
      TreeSet<String> all = new TreeSet<>();
      accs.forEach(all::addAll);
      return all;
    }

    @Override
    public Set<String> extractOutput(TreeSet<String> acc) {
      return acc;
    }
  }

  /** An empty shard for each destination nothing was written to. */
  static final class WriteEmpty extends DoFn<Set<String>, Void> {
    private final String base;
    private final Map<String, String> schemas;

    WriteEmpty(String base, Map<String, String> schemas) {
      this.base = base;
      this.schemas = new TreeMap<>(schemas);
    }

    @ProcessElement
    public void process(@Element Set<String> written) throws IOException {
      for (String dest : schemas.keySet()) {
        if (!written.contains(dest)) {
          String name = stem(dest) + "-00000-of-00001" + extension(dest);
          ResourceId file = FileSystems.matchNewResource(base + name, false);
          try (WritableByteChannel channel = FileSystems.create(file, "application/octet-stream")) {
            ShardSink sink = sink(schemas, dest);
            sink.open(channel);
            sink.flush();
          }
        }
      }
    }
  }

  /**
   * The dataset a published file belongs to ({@code roleplay.alpaca-00000-of-00001.jsonl} →
   * roleplay).
   */
  public static String datasetOf(String fileName) {
    String stem = fileStem(fileName);
    int dot = stem.indexOf('.');
    return dot < 0 ? stem : stem.substring(0, dot);
  }

  /**
   * The JSONL rendering a published file holds ({@code roleplay.alpaca-00000-of-00001.jsonl} and
   * {@code roleplay.alpaca.simulated-00000-of-00001.jsonl} → alpaca).
   */
  public static String formatOf(String fileName) {
    String stem = fileStem(fileName).replaceFirst("\\." + SIMULATED + "$", "");
    int dot = stem.indexOf('.');
    return dot < 0 ? "jsonl" : stem.substring(dot + 1);
  }

  private static String fileStem(String fileName) {
    return fileName.replaceFirst("-\\d{5}-of-\\d{5}\\.(avro|jsonl)$", "");
  }
}
