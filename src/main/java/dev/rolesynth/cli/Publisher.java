package dev.rolesynth.cli;

import dev.rolesynth.pipeline.WriteOutputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Moves a finished run from its staging folder into the output folder, so readers never see a
 * half-written run: shards first, the manifest (written by the caller) last.
 */
final class Publisher {
  private Publisher() {}

  /** What an output folder holds before a run. */
  enum Held { NOTHING, SUCCEEDED, FAILED, PARTIAL }

  /**
   * A run is finished only when its manifest says it succeeded. A manifest that says failed, or shards
   * with no manifest (a run killed while publishing), are a run to do again.
   */
  static Held held(Path output) throws IOException {
    Path manifest = output.resolve(Manifest.FILE);
    if (Files.isRegularFile(manifest)) {
      try {
        String status = Manifest.MAPPER.readTree(manifest.toFile()).path("status").asText("");
        return status.equals("succeeded") ? Held.SUCCEEDED : Held.FAILED;
      } catch (IOException e) {
        return Held.PARTIAL; // torn: not a finished run
      }
    }
    if (!Files.isDirectory(output)) {
      return Held.NOTHING;
    }
    try (Stream<Path> s = Files.list(output)) {
      boolean shards = s.map(p -> p.getFileName().toString())
          .anyMatch(n -> n.endsWith(".avro") || n.endsWith(".jsonl") || n.equals(WriteOutputs.FAILURES_DIR));
      return shards ? Held.PARTIAL : Held.NOTHING;
    }
  }

  /** Removes what an earlier run published (shards, dead letters, manifest), leaving other files alone. */
  static void clearPublished(Path output) throws IOException {
    if (!Files.isDirectory(output)) {
      return;
    }
    Files.deleteIfExists(output.resolve(Manifest.FILE));
    try (Stream<Path> s = Files.list(output)) {
      for (Path p : s.toList()) {
        String n = p.getFileName().toString();
        if (Files.isRegularFile(p) && (n.endsWith(".avro") || n.endsWith(".jsonl"))) {
          Files.delete(p);
        }
      }
    }
    deleteTree(output.resolve(WriteOutputs.FAILURES_DIR));
  }

  /** Removes staging folders (and pending ledger lines) of earlier runs that never finished. */
  static void clearStaging(Path output) throws IOException {
    if (!Files.isDirectory(output)) {
      return;
    }
    try (Stream<Path> s = Files.list(output)) {
      for (Path p : s.filter(p -> p.getFileName().toString().startsWith(".staging-")
          || p.getFileName().toString().startsWith(".ledger-")).toList()) {
        deleteTree(p);
      }
    }
  }

  static void publish(Path staging, Path output) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(staging)) {
      files = s.filter(Files::isRegularFile)
          .filter(p -> !staging.relativize(p).toString().startsWith("."))
          .toList();
    }
    for (Path f : files) {
      Path target = output.resolve(staging.relativize(f).toString());
      Files.createDirectories(target.getParent());
      Files.move(f, target, StandardCopyOption.ATOMIC_MOVE);
    }
    deleteTree(staging);
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
