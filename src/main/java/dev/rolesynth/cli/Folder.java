package dev.rolesynth.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * A folder on any filesystem Beam has (local disk, {@code s3://}, {@code hdfs://}), with what
 * publishing, the manifest and the ledger need: list, read, write whole files, move, delete. On object
 * storage a "folder" is a key prefix: it exists when something lies under it, a move is a copy and a
 * delete, and a written object appears whole or not at all.
 */
final class Folder {
  private final String root;

  private Folder(String root) {
    this.root = root;
  }

  /** A local path made absolute, or a URI such as {@code s3://bucket/prefix}, without a trailing slash. */
  static Folder of(String spec) {
    String s = spec.strip();
    if (!s.contains("://")) {
      return new Folder(Path.of(s).toAbsolutePath().normalize().toString());
    }
    while (s.endsWith("/") && !s.endsWith("://")) {
      s = s.substring(0, s.length() - 1);
    }
    return new Folder(s);
  }

  boolean local() {
    return !root.contains("://");
  }

  /** The full name of a file or folder below, e.g. {@code s3://bucket/out/_manifest.json}. */
  String path(String relative) {
    return root + "/" + relative;
  }

  Folder child(String relative) {
    return new Folder(path(relative));
  }

  /** The folder this one is in (a bucket's root stays itself). */
  Folder parent() {
    int slash = root.lastIndexOf('/');
    int floor = local() ? 0 : root.indexOf('/', root.indexOf("://") + 3);
    return slash <= floor ? this : new Folder(root.substring(0, Math.max(slash, 1)));
  }

  /** Every file below, by relative name (sorted), with its size in bytes. */
  Map<String, Long> files() throws IOException {
    Map<String, Long> out = new TreeMap<>();
    if (local() && !Files.isDirectory(Path.of(root))) {
      return out;
    }
    MatchResult m = FileSystems.match(root + "/**", EmptyMatchTreatment.ALLOW);
    if (m.status() == MatchResult.Status.NOT_FOUND) {
      return out;
    }
    for (MatchResult.Metadata md : m.metadata()) {
      String name = md.resourceId().toString();
      if (name.startsWith(root + "/") && !name.endsWith("/")) {
        out.put(name.substring(root.length() + 1), md.sizeBytes());
      }
    }
    return out;
  }

  boolean exists(String relative) throws IOException {
    MatchResult m = FileSystems.match(path(relative), EmptyMatchTreatment.ALLOW);
    return m.status() == MatchResult.Status.OK && !m.metadata().isEmpty();
  }

  InputStream open(String relative) throws IOException {
    return Channels.newInputStream(FileSystems.open(id(relative)));
  }

  /** Writes a whole file; on object storage it appears complete or not at all. */
  void write(String relative, byte[] data) throws IOException {
    try (OutputStream o = Channels.newOutputStream(FileSystems.create(id(relative), MimeTypes.BINARY))) {
      o.write(data);
    }
  }

  /** Moves files below {@code from} to the same relative names here: a rename on disk, a copy and delete on S3. */
  void moveFrom(Folder from, List<String> relatives) throws IOException {
    if (relatives.isEmpty()) {
      return;
    }
    List<ResourceId> src = new ArrayList<>();
    List<ResourceId> dst = new ArrayList<>();
    for (String r : relatives) {
      src.add(from.id(r));
      dst.add(id(r));
      if (local()) {
        Files.createDirectories(Path.of(path(r)).getParent());
      }
    }
    FileSystems.rename(src, dst, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
  }

  void delete(List<String> relatives) throws IOException {
    List<ResourceId> ids = new ArrayList<>();
    for (String r : relatives) {
      ids.add(id(r));
    }
    FileSystems.delete(ids, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
  }

  /** Deletes everything below, and on disk the folders too. */
  void deleteAll() throws IOException {
    delete(new ArrayList<>(files().keySet()));
    if (local() && Files.exists(Path.of(root))) {
      try (Stream<Path> s = Files.walk(Path.of(root))) {
        for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private ResourceId id(String relative) {
    return FileSystems.matchNewResource(path(relative), false);
  }

  @Override
  public String toString() {
    return root;
  }
}
