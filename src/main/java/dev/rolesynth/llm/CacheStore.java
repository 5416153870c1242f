package dev.rolesynth.llm;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Where cache segments live: a folder of immutable files. The launcher plugs in one backed by
 * Beam's FileSystems, so the cache works on local disk and on any filesystem Beam can write.
 */
public interface CacheStore {
  /** Names of the files present (segments and their indexes), sorted. */
  List<String> list() throws IOException;

  byte[] read(String name) throws IOException;

  /** {@code length} bytes of a file from {@code offset}: one cached answer. */
  default byte[] read(String name, long offset, int length) throws IOException {
    byte[] all = read(name);
    return Arrays.copyOfRange(all, (int) offset, (int) offset + length);
  }

  /** Writes a whole new file; it must appear complete or not at all. */
  void write(String name, byte[] data) throws IOException;

  /** When each file was last written, in epoch milliseconds. */
  Map<String, Long> modified() throws IOException;

  void delete(List<String> names) throws IOException;
}
