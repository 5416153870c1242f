package dev.rolesynth.llm;

import java.io.IOException;
import java.util.List;

/**
 * Where cache segments live: a folder of immutable files. The launcher plugs in one backed by Beam's
 * FileSystems, so the cache works on local disk and on any filesystem Beam can write.
 */
public interface CacheStore {
  /** Names of the segments present. */
  List<String> list() throws IOException;

  byte[] read(String name) throws IOException;

  /** Writes a whole new segment; it must appear complete or not at all. */
  void write(String name, byte[] data) throws IOException;
}
