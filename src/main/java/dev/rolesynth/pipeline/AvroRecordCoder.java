package dev.rolesynth.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;

/**
 * AvroCoder for rolesynth's generated records. Avro 1.12 refuses to load record classes it has not
 * been told to trust; loading this coder (on the launcher and on every worker that decodes) adds
 * the generated package to the trusted set, without asking users for system properties.
 */
public final class AvroRecordCoder<T extends SpecificRecordBase> extends CustomCoder<T> {
  private static final String PACKAGE = "dev.rolesynth.avro.";

  static {
    trustGeneratedRecords();
  }

  private final Class<T> type;
  private transient AvroCoder<T> delegate;

  private AvroRecordCoder(Class<T> type) {
    this.type = type;
  }

  public static <T extends SpecificRecordBase> AvroRecordCoder<T> of(Class<T> type) {
    return new AvroRecordCoder<>(type);
  }

  public static synchronized void trustGeneratedRecords() {
    ClassSecurityValidator.ClassSecurityPredicate current = ClassSecurityValidator.getGlobal();
    ClassSecurityValidator.setGlobal(
        ClassSecurityValidator.composite(current, c -> c.getName().startsWith(PACKAGE)));
  }

  private AvroCoder<T> delegate() {
    if (delegate == null) {
      delegate = AvroCoder.of(type);
    }
    return delegate;
  }

  @Override
  public void encode(T value, OutputStream out) throws IOException {
    delegate().encode(value, out);
  }

  @Override
  public T decode(InputStream in) throws IOException {
    return delegate().decode(in);
  }

  @Override
  public void verifyDeterministic() throws NonDeterministicException {
    delegate().verifyDeterministic();
  }
}
