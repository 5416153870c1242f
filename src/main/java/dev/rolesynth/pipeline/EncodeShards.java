package dev.rolesynth.pipeline;

import dev.rolesynth.pipeline.RolePipeline.Dataset;
import dev.rolesynth.pipeline.RolePipeline.Renderings;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;

/**
 * A dataset's record as what its files hold: the Avro datum for {@code <name>.avro} and one line
 * for each rendering's {@code <name>.<format>[.simulated].jsonl}.
 */
final class EncodeShards<R extends SpecificRecordBase> extends DoFn<R, KV<String, byte[]>> {
  private final String avro;
  private final Class<R> type;
  private final Map<String, SerializableFunction<R, String>> renderings = new TreeMap<>();

  private final AvroRecordCoder<R> coder;

  private EncodeShards(String name, Renderings<R> r, boolean simulated) {
    this.avro = name + WriteOutputs.AVRO;
    this.type = r.type();
    this.coder = AvroRecordCoder.of(type);
    String mark = simulated ? "." + WriteOutputs.SIMULATED : "";
    r.formats().forEach((f, render) -> renderings.put(name + "." + f + mark, render));
  }

  static <R extends SpecificRecordBase> EncodeShards<R> of(Dataset<R> d, boolean simulated) {
    return new EncodeShards<>(d.name(), d.renderings(), simulated);
  }

  /** Each destination with its Avro schema, or "" for a JSONL one. */
  Map<String, String> destinations() {
    Map<String, String> out = new TreeMap<>();
    out.put(avro, SpecificData.get().getSchema(type).toString());
    renderings.keySet().forEach(stem -> out.put(stem + WriteOutputs.JSONL, ""));
    return out;
  }

  @ProcessElement
  public void process(@Element R record, OutputReceiver<KV<String, byte[]>> out)
      throws IOException {
    byte[] datum = CoderUtils.encodeToByteArray(coder, record);
    out.output(KV.of(avro, datum));
    // Rendered from the record as the coder gives it back, whatever the runner fused: a map made in
    // memory (sorted) and one decoded (hash order) print differently.
    R stored = CoderUtils.decodeFromByteArray(coder, datum);
    renderings.forEach((stem, render) -> out.output(WriteOutputs.line(stem, render.apply(stored))));
  }
}
