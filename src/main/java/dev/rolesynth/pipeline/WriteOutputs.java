package dev.rolesynth.pipeline;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.io.AvroIO;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptors;

/** Writes a pipeline's Avro and JSONL shards and its dead letters under one folder. */
public final class WriteOutputs {
  public static final String FAILURES_DIR = "failures";

  private WriteOutputs() {}

  public static <T extends SpecificRecordBase> void write(
      RolePipeline.Outputs<T> outputs, PCollection<Failure> moreFailures, String dir) {
    String base = dir.endsWith("/") ? dir : dir + "/";
    outputs.records().apply("WriteAvroShards", AvroIO.write(outputs.type()).to(base + outputs.prefix()).withSuffix(".avro"));
    outputs.jsonl().apply("WriteJsonlShards", TextIO.write().to(base + outputs.prefix()).withSuffix(".jsonl"));
    PCollectionList.of(outputs.failures())
        .and(moreFailures)
        .apply("FlattenAllFailures", Flatten.pCollections())
        .apply("FailuresToJson", MapElements.into(TypeDescriptors.strings()).via(Failure::toJson))
        .setCoder(StringUtf8Coder.of())
        .apply("WriteDeadLetters", TextIO.write().to(base + FAILURES_DIR + "/failures").withSuffix(".jsonl"));
  }
}
