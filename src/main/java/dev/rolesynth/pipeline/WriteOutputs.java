package dev.rolesynth.pipeline;

import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.io.AvroIO;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
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
    String base = dir.endsWith("/") ? dir : dir + "/";
    for (RolePipeline.Dataset<?> d : outputs.datasets()) {
      writeDataset(d, base, simulated);
    }
    PCollectionList.of(outputs.failures())
        .and(moreFailures)
        .apply("FlattenAllFailures", Flatten.pCollections())
        .apply(
            "FailuresToJson",
            MapElements.into(TypeDescriptors.strings()).via((Failure f) -> f.toJson(filterReasons)))
        .setCoder(StringUtf8Coder.of())
        .apply(
            "WriteDeadLetters",
            TextIO.write().to(base + FAILURES_DIR + "/failures").withSuffix(".jsonl"));
  }

  /**
   * Writes one dataset as {@code <base><name>-*.avro} and its renderings as {@code
   * <base><name>.<format>-*.jsonl} ({@code <name>.<format>.simulated-*.jsonl} when the answers are
   * simulated).
   */
  public static <R extends SpecificRecordBase> void writeDataset(
      RolePipeline.Dataset<R> d, String base, boolean simulated) {
    d.records()
        .apply(
            "WriteAvro_" + d.name(),
            AvroIO.write(d.type()).to(base + d.name()).withSuffix(".avro"));
    for (Map.Entry<String, SerializableFunction<R, String>> f :
        d.renderings().formats().entrySet()) {
      d.records()
          .apply(
              "Render_" + d.name() + "_" + f.getKey(),
              MapElements.into(TypeDescriptors.strings()).via(f.getValue()))
          .setCoder(StringUtf8Coder.of())
          .apply(
              "WriteJsonl_" + d.name() + "_" + f.getKey(),
              TextIO.write()
                  .to(base + d.name() + "." + f.getKey() + (simulated ? "." + SIMULATED : ""))
                  .withSuffix(".jsonl"));
    }
  }

  /**
   * The dataset a published file belongs to ({@code roleplay.alpaca-00000-of-00001.jsonl} →
   * roleplay).
   */
  public static String datasetOf(String fileName) {
    String stem = stem(fileName);
    int dot = stem.indexOf('.');
    return dot < 0 ? stem : stem.substring(0, dot);
  }

  /**
   * The JSONL rendering a published file holds ({@code roleplay.alpaca-00000-of-00001.jsonl} and
   * {@code roleplay.alpaca.simulated-00000-of-00001.jsonl} → alpaca).
   */
  public static String formatOf(String fileName) {
    String stem = stem(fileName).replaceFirst("\\." + SIMULATED + "$", "");
    int dot = stem.indexOf('.');
    return dot < 0 ? "jsonl" : stem.substring(dot + 1);
  }

  private static String stem(String fileName) {
    return fileName.replaceFirst("-\\d{5}-of-\\d{5}\\.(avro|jsonl)$", "");
  }
}
