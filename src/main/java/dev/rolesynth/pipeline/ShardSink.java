package dev.rolesynth.pipeline;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.values.KV;

/**
 * One shard file of {@link WriteOutputs}: elements are a destination and bytes already encoded, so
 * one file write serves every dataset and rendering. An Avro destination's bytes are a datum of its
 * schema, appended to a container file compressed as AvroIO does (snappy); a JSONL destination's
 * bytes are a line, written with the newline TextIO would add.
 */
final class ShardSink implements FileIO.Sink<KV<String, byte[]>> {
  /** The Avro schema as JSON, or null for a JSONL destination. */
  private final String avroSchema;

  private transient OutputStream out;
  private transient DataFileWriter<Object> avro;

  ShardSink(String avroSchema) {
    this.avroSchema = avroSchema;
  }

  @Override
  public void open(WritableByteChannel channel) throws IOException {
    out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
    if (avroSchema != null) {
      avro =
          new DataFileWriter<>(new GenericDatumWriter<>())
              .setCodec(CodecFactory.snappyCodec())
              .create(new Schema.Parser().parse(avroSchema), out);
    }
  }

  @Override
  public void write(KV<String, byte[]> element) throws IOException {
    if (avro != null) {
      avro.appendEncoded(ByteBuffer.wrap(element.getValue()));
    } else {
      out.write(element.getValue());
      out.write('\n');
    }
  }

  @Override
  public void flush() throws IOException {
    if (avro != null) {
      avro.flush();
    }
    out.flush();
  }
}
