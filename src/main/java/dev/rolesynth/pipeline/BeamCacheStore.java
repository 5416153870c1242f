package dev.rolesynth.pipeline;

import dev.rolesynth.llm.CacheStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * Cache segments in a folder on any Beam filesystem: written under a temporary name, then renamed.
 */
public final class BeamCacheStore implements CacheStore {
  private final String dir;

  public BeamCacheStore(String dir) {
    this.dir = dir.endsWith("/") ? dir : dir + "/";
  }

  /** The per-night cache folders under {@code base} (fresh nights keep one each). */
  public static List<BeamCacheStore> nights(String base) throws IOException {
    String dir = base.endsWith("/") ? base : base + "/";
    Set<String> folders = new TreeSet<>();
    MatchResult match = FileSystems.match(dir + "*/*.jsonl", EmptyMatchTreatment.ALLOW);
    if (match.status() == MatchResult.Status.OK) {
      for (MatchResult.Metadata m : match.metadata()) {
        folders.add(m.resourceId().getCurrentDirectory().toString());
      }
    }
    List<BeamCacheStore> out = new ArrayList<>();
    folders.forEach(f -> out.add(new BeamCacheStore(f)));
    return out;
  }

  private ResourceId resource(String name) {
    return FileSystems.matchNewResource(dir, true)
        .resolve(name, StandardResolveOptions.RESOLVE_FILE);
  }

  @Override
  public List<String> list() throws IOException {
    List<String> names = new ArrayList<>(modified().keySet());
    Collections.sort(names);
    return names;
  }

  @Override
  public Map<String, Long> modified() throws IOException {
    Map<String, Long> out = new TreeMap<>();
    for (String pattern :
        List.of("*.jsonl", "*.idx", "*" + dev.rolesynth.llm.CacheMaintenance.SENT_SUFFIX)) {
      MatchResult match = FileSystems.match(dir + pattern, EmptyMatchTreatment.ALLOW);
      if (match.status() == MatchResult.Status.OK) {
        for (MatchResult.Metadata m : match.metadata()) {
          String name = m.resourceId().getFilename();
          if (!name.startsWith(".tmp-")) {
            out.put(name, m.lastModifiedMillis());
          }
        }
      }
    }
    return out;
  }

  @Override
  public void delete(List<String> names) throws IOException {
    List<ResourceId> ids = new ArrayList<>();
    names.forEach(n -> ids.add(resource(n)));
    FileSystems.delete(ids, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
  }

  @Override
  public byte[] read(String name) throws IOException {
    try (InputStream in = Channels.newInputStream(FileSystems.open(resource(name)))) {
      return in.readAllBytes();
    }
  }

  @Override
  public byte[] read(String name, long offset, int length) throws IOException {
    try (ReadableByteChannel ch = FileSystems.open(resource(name))) {
      if (!(ch instanceof SeekableByteChannel seekable)) {
        return CacheStore.super.read(name, offset, length);
      }
      seekable.position(offset);
      ByteBuffer buf = ByteBuffer.allocate(length);
      while (buf.hasRemaining() && seekable.read(buf) >= 0) {
        // fill
      }
      return buf.array();
    }
  }

  @Override
  public void write(String name, byte[] data) throws IOException {
    ResourceId tmp = resource(".tmp-" + name);
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(tmp, MimeTypes.TEXT))) {
      out.write(data);
    }
    FileSystems.rename(
        List.of(tmp),
        List.of(resource(name)),
        MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
  }
}
