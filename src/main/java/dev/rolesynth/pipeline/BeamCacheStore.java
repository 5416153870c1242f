package dev.rolesynth.pipeline;

import dev.rolesynth.llm.CacheStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/** Cache segments in a folder on any Beam filesystem: written under a temporary name, then renamed. */
public final class BeamCacheStore implements CacheStore {
  private final String dir;

  public BeamCacheStore(String dir) {
    this.dir = dir.endsWith("/") ? dir : dir + "/";
  }

  private ResourceId resource(String name) {
    return FileSystems.matchNewResource(dir, true).resolve(name, StandardResolveOptions.RESOLVE_FILE);
  }

  @Override
  public List<String> list() throws IOException {
    MatchResult match = FileSystems.match(dir + "segment-*.jsonl", EmptyMatchTreatment.ALLOW);
    List<String> names = new ArrayList<>();
    if (match.status() == MatchResult.Status.OK) {
      for (MatchResult.Metadata m : match.metadata()) {
        names.add(m.resourceId().getFilename());
      }
    }
    Collections.sort(names);
    return names;
  }

  @Override
  public byte[] read(String name) throws IOException {
    try (InputStream in = Channels.newInputStream(FileSystems.open(resource(name)))) {
      return in.readAllBytes();
    }
  }

  @Override
  public void write(String name, byte[] data) throws IOException {
    ResourceId tmp = resource(".tmp-" + name);
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(tmp, MimeTypes.TEXT))) {
      out.write(data);
    }
    FileSystems.rename(List.of(tmp), List.of(resource(name)), MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
  }
}
