package dev.rolesynth.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * A folder on any filesystem Beam has (local disk, {@code s3://}, {@code hdfs://}), with what
 * publishing, the manifest and the ledger need: list, read, write whole files, move, delete. On
 * object storage a "folder" is a key prefix: it exists when something lies under it, a move is a
 * copy and a delete, and a written object appears whole or not at all.
 */
public final class Folder {
  /**
   * How deep {@link #files} looks: a run's deepest file is staging/.ledger/file or
   * review/accepted/file.
   */
  private static final int DEPTH = 4;

  private final String root;

  private Folder(String root) {
    this.root = root;
  }

  /**
   * A local path made absolute, or a URI such as {@code s3://bucket/prefix}, without a trailing
   * slash.
   */
  public static Folder of(String spec) {
    String s = spec.strip();
    if (!s.contains("://")) {
      return new Folder(Path.of(s).toAbsolutePath().normalize().toString());
    }
    while (s.endsWith("/") && !s.endsWith("://")) {
      s = s.substring(0, s.length() - 1);
    }
    return new Folder(s);
  }

  public boolean local() {
    return !root.contains("://");
  }

  /** The full name of a file or folder below, e.g. {@code s3://bucket/out/_manifest.json}. */
  public String path(String relative) {
    return root + "/" + relative;
  }

  public Folder child(String relative) {
    return new Folder(path(relative));
  }

  /** The folder this one is in (a bucket's root stays itself). */
  public Folder parent() {
    int slash = root.lastIndexOf('/');
    int floor = local() ? 0 : root.indexOf('/', root.indexOf("://") + 3);
    return slash <= floor ? this : new Folder(root.substring(0, Math.max(slash, 1)));
  }

  /**
   * Every file below (down to four folders deep), by relative name, sorted, with its size in bytes.
   */
  public Map<String, Long> files() throws IOException {
    Map<String, Long> out = new TreeMap<>();
    if (local() && !Files.isDirectory(Path.of(root))) {
      return out;
    }
    // Level by level: Hadoop's globs have no "**", and a run's files lie at most DEPTH folders
    // down.
    StringBuilder pattern = new StringBuilder(root);
    for (int level = 0; level < DEPTH; level++) {
      pattern.append("/*");
      MatchResult m = FileSystems.match(pattern.toString(), EmptyMatchTreatment.ALLOW);
      if (m.status() == MatchResult.Status.NOT_FOUND) {
        continue;
      }
      for (MatchResult.Metadata md : m.metadata()) {
        String name = md.resourceId().toString();
        if (name.startsWith(root + "/") && !name.endsWith("/")) {
          out.put(name.substring(root.length() + 1), md.sizeBytes());
        }
      }
    }
    // HDFS lists folders among the matches; a name others lie below is a folder, not a file.
    out.keySet().removeIf(name -> out.keySet().stream().anyMatch(o -> o.startsWith(name + "/")));
    return out;
  }

  /** The names directly below: files and folders, on disk empty folders too. */
  public Set<String> entries() throws IOException {
    Set<String> out = new TreeSet<>();
    if (local() && Files.isDirectory(Path.of(root))) {
      try (Stream<Path> s = Files.list(Path.of(root))) {
        s.forEach(p -> out.add(p.getFileName().toString()));
      }
      return out;
    }
    for (String name : files().keySet()) {
      out.add(name.contains("/") ? name.substring(0, name.indexOf('/')) : name);
    }
    return out;
  }

  public boolean exists(String relative) throws IOException {
    MatchResult m = FileSystems.match(path(relative), EmptyMatchTreatment.ALLOW);
    return m.status() == MatchResult.Status.OK && !m.metadata().isEmpty();
  }

  public InputStream open(String relative) throws IOException {
    return Channels.newInputStream(FileSystems.open(id(relative)));
  }

  public String readString(String relative) throws IOException {
    try (InputStream in = open(relative)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  public void writeString(String relative, String text) throws IOException {
    write(relative, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes a whole file; on object storage it appears complete or not at all. */
  public void write(String relative, byte[] data) throws IOException {
    try (OutputStream o =
        Channels.newOutputStream(FileSystems.create(id(relative), MimeTypes.BINARY))) {
      o.write(data);
    }
  }

  /**
   * Moves files below {@code from} to the same relative names here: a rename on disk, a copy and a
   * delete elsewhere.
   */
  public void moveFrom(Folder from, List<String> relatives) throws IOException {
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
    if (local()) {
      FileSystems.rename(src, dst, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
      return;
    }
    // Elsewhere a copy and a delete: what S3's rename is anyway, and HDFS's rename needs the
    // target's folder to exist.
    FileSystems.copy(src, dst, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    FileSystems.delete(src, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
  }

  public void delete(List<String> relatives) throws IOException {
    List<ResourceId> ids = new ArrayList<>();
    for (String r : relatives) {
      ids.add(id(r));
    }
    FileSystems.delete(ids, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
  }

  /** Deletes everything below, and on disk the folders too. */
  public void deleteAll() throws IOException {
    if (local()) {
      if (Files.exists(Path.of(root))) {
        try (Stream<Path> s = Files.walk(Path.of(root))) {
          for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
      }
      return;
    }
    // Files first; on HDFS the folders are real and, once empty, are listed as entries: delete
    // those too.
    for (int round = 0; round <= DEPTH; round++) {
      List<String> left = new ArrayList<>(files().keySet());
      if (left.isEmpty()) {
        break;
      }
      delete(left);
    }
    if (!root.startsWith("s3://")) { // S3 has no folder object to remove
      FileSystems.delete(
          List.of(FileSystems.matchNewResource(root, true)),
          MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
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
