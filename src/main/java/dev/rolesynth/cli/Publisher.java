package dev.rolesynth.cli;

import dev.rolesynth.pipeline.Folder;
import dev.rolesynth.pipeline.WriteOutputs;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Moves a finished run from its staging folder into the output folder, so readers never see a
 * half-written run: shards first, the manifest (written by the caller) last. The same on any
 * filesystem (see {@link Folder}); on local disk each move is an atomic rename, on object storage a
 * copy and a delete, so there only the manifest's appearance marks a complete run.
 */
final class Publisher {
  private Publisher() {}

  /** What an output folder holds before a run. */
  enum Held {
    NOTHING,
    SUCCEEDED,
    FAILED,
    PARTIAL
  }

  /**
   * A run is finished only when its manifest says it succeeded. A manifest that says failed, or
   * shards with no manifest (a run killed while publishing), are a run to do again.
   */
  static Held held(Folder output) throws IOException {
    if (output.exists(Manifest.FILE)) {
      try (InputStream in = output.open(Manifest.FILE)) {
        String status = Manifest.MAPPER.readTree(in).path("status").asText("");
        return status.equals("succeeded") ? Held.SUCCEEDED : Held.FAILED;
      } catch (IOException e) {
        return Held.PARTIAL; // torn: not a finished run
      }
    }
    return published(output).isEmpty() ? Held.NOTHING : Held.PARTIAL;
  }

  /** Shards and dead letters an earlier run published (not staging, ledgers or other files). */
  private static List<String> published(Folder output) throws IOException {
    return output.files().keySet().stream()
        .filter(
            n ->
                n.startsWith(WriteOutputs.FAILURES_DIR + "/")
                    || (!n.contains("/") && (n.endsWith(".avro") || n.endsWith(".jsonl"))))
        .toList();
  }

  /**
   * Removes what an earlier run published (manifest first, then shards and dead letters), leaving
   * other files alone.
   */
  static void clearPublished(Folder output) throws IOException {
    output.delete(List.of(Manifest.FILE));
    output.delete(published(output));
    output.child(WriteOutputs.FAILURES_DIR).deleteAll(); // the folder too, where folders are real
  }

  /**
   * Removes staging folders of earlier runs that never finished (and pending ledger lines older
   * versions left).
   */
  static void clearStaging(Folder output) throws IOException {
    for (String name : output.entries()) {
      if (name.startsWith(".staging-") || name.startsWith(".ledger-")) {
        output.child(name).deleteAll();
      }
    }
  }

  /**
   * Moves the staged shards and dead letters into place; the staging's own dot-files stay for the
   * caller.
   */
  static void publish(Folder staging, Folder output) throws IOException {
    List<String> files = staging.files().keySet().stream().filter(n -> !n.startsWith(".")).toList();
    output.moveFrom(staging, files);
  }
}
