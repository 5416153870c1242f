package dev.rolesynth.llm;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The key-value header of a GGUF file (the format llama.cpp loads), read without loading the model:
 * enough to check that a file is a model at all and whether it carries a chat template. Arrays (the
 * tokenizer's vocabulary) are skipped, not kept.
 */
public final class GgufMetadata {
  private static final int MAGIC = 0x46554747; // "GGUF" read little-endian
  private static final int MAX_STRING = 16 << 20;

  private GgufMetadata() {}

  /** Scalar and string values by key; arrays are recorded as their length. */
  public static Map<String, Object> read(Path file) throws IOException {
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
      if (u32(in) != MAGIC) {
        throw new IOException(file + " is not a GGUF file (bad magic)");
      }
      long version = u32(in) & 0xffffffffL;
      if (version < 2 || version > 3) {
        throw new IOException(
            file + ": GGUF version " + version + " is not supported (2 or 3 are)");
      }
      u64(in); // tensor count
      long kvCount = u64(in);
      Map<String, Object> out = new LinkedHashMap<>();
      for (long i = 0; i < kvCount; i++) {
        String key = string(in);
        out.put(key, value(in, u32(in)));
      }
      return out;
    } catch (EOFException e) {
      throw new IOException(file + " ends inside its GGUF header", e);
    }
  }

  private static Object value(DataInputStream in, int type) throws IOException {
    return switch (type) {
      case 0, 1 -> (long) in.readUnsignedByte(); // uint8, int8
      case 2, 3 -> (long) Short.reverseBytes(in.readShort()); // uint16, int16
      case 4, 5 -> (long) u32(in); // uint32, int32
      case 6 -> (double) Float.intBitsToFloat(u32(in));
      case 7 -> in.readUnsignedByte() != 0;
      case 8 -> string(in);
      case 9 -> {
        int itemType = u32(in);
        long n = u64(in);
        for (long j = 0; j < n; j++) {
          value(in, itemType);
        }
        yield n;
      }
      case 10, 11 -> u64(in); // uint64, int64
      case 12 -> Double.longBitsToDouble(u64(in));
      default -> throw new IOException("unknown GGUF value type " + type);
    };
  }

  private static String string(DataInputStream in) throws IOException {
    long len = u64(in);
    if (len < 0 || len > MAX_STRING) {
      throw new IOException("GGUF string of " + len + " bytes");
    }
    byte[] b = new byte[(int) len];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  private static int u32(DataInputStream in) throws IOException {
    return Integer.reverseBytes(in.readInt());
  }

  private static long u64(DataInputStream in) throws IOException {
    return Long.reverseBytes(in.readLong());
  }
}
