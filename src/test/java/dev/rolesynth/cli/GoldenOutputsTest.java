package dev.rolesynth.cli;

import static org.junit.Assert.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The training data each pipeline makes from its shipped sample with the built-in simulator, pinned
 * byte for byte: every JSONL rendering and dead-letter file, lines sorted (shards and bundles may
 * order them differently; the run id and the input's folder blanked), hashed per dataset. A
 * refactoring that must not change outputs (moving stages onto declarations, say) is checked by
 * this test; a change that means to change them updates the hashes with {@code
 * -Dgolden.update=true} and says why in its commit.
 */
public class GoldenOutputsTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden/outputs.properties");

  /** The options every golden run adds to its own. */
  static final List<String> COMMON = List.of("--llmEndpoint=sim", "--seed=42");

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  static final Map<String, List<String>> RUNS =
      new TreeMap<>(
          Map.of(
              "ditto", List.of("--pipeline=ditto", "--judge=true"),
              "beyond-dialogue-scratch", List.of("--pipeline=beyond-dialogue", "--mode=scratch"),
              "beyond-dialogue-source",
                  List.of(
                      "--pipeline=beyond-dialogue",
                      "--mode=source",
                      "--sourceTexts=pipelines/beyond-dialogue/sample/sources/*.txt",
                      "--maxFailureRatio=1"),
              "orca", List.of("--pipeline=orca"),
              "lima-role", List.of("--pipeline=lima-role", "--withJudge=true"),
              "rolemrc", List.of("--pipeline=rolemrc"),
              "characterchat",
                  List.of("--pipeline=characterchat", "--limit=6", "--supportersPerSeeker=1"),
              "simschat", List.of("--pipeline=simschat")));

  @Test
  public void eachPipelinesSampleGivesTheSameDataAsBefore() throws Exception {
    Map<String, String> golden = golden();
    Map<String, String> now = new TreeMap<>();
    for (Map.Entry<String, List<String>> run : RUNS.entrySet()) {
      now.putAll(hashes(run.getKey(), run.getValue()));
    }
    if (Boolean.getBoolean("golden.update") && !golden.equals(now)) {
      Properties p = new Properties();
      p.putAll(now);
      try (OutputStream out = Files.newOutputStream(GOLDEN)) {
        p.store(out, "sha256 of each dataset's sorted JSONL lines; see GoldenOutputsTest");
      }
      // Never green on a rewrite: the new hashes are checked by the next run without the flag.
      throw new AssertionError(
          "golden hashes rewritten in " + GOLDEN + "; run again without -Dgolden.update");
    }
    assertEquals(golden, now);
  }

  /** The pinned hashes, by run and dataset ("ditto.dialogues.chat" → "6:ab12…"). */
  static Map<String, String> golden() throws IOException {
    Properties golden = new Properties();
    try (InputStream in = Files.newInputStream(GOLDEN)) {
      golden.load(in);
    }
    Map<String, String> out = new TreeMap<>();
    golden.forEach((k, v) -> out.put((String) k, (String) v));
    return out;
  }

  /** The pinned hashes of one run. */
  static Map<String, String> golden(String run) throws IOException {
    Map<String, String> out = new TreeMap<>(golden());
    out.keySet().removeIf(k -> !k.startsWith(run + "."));
    return out;
  }

  private Map<String, String> hashes(String name, List<String> options) throws Exception {
    Path out = tmp.getRoot().toPath().resolve(name);
    List<String> args = new ArrayList<>(options);
    args.addAll(COMMON);
    args.addAll(List.of("--runner=FlinkRunner", "--cacheDir=off", "--output=" + out));
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    int exit =
        new Launcher(new PrintStream(log), new PrintStream(log)).run(args.toArray(String[]::new));
    assertEquals(name + ": " + log, 0, exit);
    return hashes(name, out);
  }

  /** Each dataset's JSONL lines in {@code out}, normalised, sorted and hashed. */
  static Map<String, String> hashes(String name, Path out) throws IOException {
    Map<String, List<String>> lines = new TreeMap<>();
    try (Stream<Path> files = Files.walk(out)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).toList()) {
        // dialogues.chat-00000-of-00002.jsonl -> dialogues.chat;
        // failures/failures-00000-of-00001.jsonl -> failures
        String dataset = f.getFileName().toString().replaceAll("-\\d{5}-of-\\d{5}\\.jsonl$", "");
        // A simulated run says so in every rendering's file name; dead letters are not training
        // data.
        assertEquals(f.toString(), !dataset.equals("failures"), dataset.endsWith(".simulated"));
        dataset = dataset.replaceFirst("\\.simulated$", "");
        List<String> kept = lines.computeIfAbsent(name + "." + dataset, k -> new ArrayList<>());
        Files.readAllLines(f).forEach(l -> kept.add(normal(l)));
      }
    }
    Map<String, String> hashes = new TreeMap<>();
    for (Map.Entry<String, List<String>> e : lines.entrySet()) {
      hashes.put(e.getKey(), e.getValue().size() + ":" + sha256(e.getValue()));
    }
    return hashes;
  }

  private static final String HERE = Path.of("").toAbsolutePath().toString();

  /** What differs between runs of the same data: the run's id and where the clone lives. */
  static String normal(String line) {
    return line.replaceAll("\"runId\"\\s*:\\s*\"[^\"]*\"", "\"runId\":\"\"").replace(HERE, ".");
  }

  private static String sha256(List<String> lines) throws IOException {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      lines.stream().sorted().forEach(l -> d.update((l + "\n").getBytes(StandardCharsets.UTF_8)));
      return HexFormat.of().formatHex(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IOException(e);
    }
  }
}
