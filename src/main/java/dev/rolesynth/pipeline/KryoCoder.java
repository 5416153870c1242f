package dev.rolesynth.pipeline;

import com.esotericsoftware.kryo.kryo5.Kryo;
import com.esotericsoftware.kryo.kryo5.io.Input;
import com.esotericsoftware.kryo.kryo5.io.Output;
import com.esotericsoftware.kryo.kryo5.serializers.ImmutableCollectionsSerializers;
import com.esotericsoftware.kryo.kryo5.util.Pool;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.util.VarInt;

/**
 * A coder for the pipelines' intermediate values (records of records, lists, maps) that is a
 * drop-in replacement for Beam's {@code SerializableCoder}, which writes every element's class
 * descriptors with Java serialization and was the runners' largest single cost. Kryo keeps exact
 * types, so what comes out equals what went in. Not deterministic: never use it for grouping keys.
 */
public final class KryoCoder<T> extends CustomCoder<T> {
  private static final Pool<Kryo> KRYOS =
      new Pool<>(true, false, 64) {
        @Override
        protected Kryo create() {
          Kryo kryo = new Kryo();
          kryo.setRegistrationRequired(false);
          kryo.setReferences(false);
          ImmutableCollectionsSerializers.addDefaultSerializers(kryo);
          return kryo;
        }
      };

  private final Class<T> type;

  private KryoCoder(Class<T> type) {
    this.type = type;
  }

  public static <T extends Serializable> KryoCoder<T> of(Class<T> type) {
    return new KryoCoder<>(type);
  }

  @Override
  public void encode(T value, OutputStream out) throws IOException {
    byte[] bytes;
    Kryo kryo = KRYOS.obtain();
    try (Output o = new Output(256, -1)) {
      kryo.writeClassAndObject(o, value);
      bytes = o.toBytes();
    } finally {
      KRYOS.free(kryo);
    }
    // Length first: Kryo reads ahead, and the next element of the stream is not its to take.
    VarInt.encode(bytes.length, out);
    out.write(bytes);
  }

  @Override
  public T decode(InputStream in) throws IOException {
    byte[] bytes = new byte[VarInt.decodeInt(in)];
    new DataInputStream(in).readFully(bytes);
    Kryo kryo = KRYOS.obtain();
    try {
      return type.cast(kryo.readClassAndObject(new Input(bytes)));
    } finally {
      KRYOS.free(kryo);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KryoCoder<?> other && other.type.equals(type);
  }

  @Override
  public int hashCode() {
    return type.hashCode();
  }
}
